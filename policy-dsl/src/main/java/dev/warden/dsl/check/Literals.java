package dev.warden.dsl.check;

import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.Type;
import dev.warden.model.types.ByteSize;
import dev.warden.model.types.Cidr;
import dev.warden.model.types.PortSet;
import dev.warden.model.types.TopicFilter;
import dev.warden.model.types.Version;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converts literal text to typed values; throws {@link IllegalArgumentException} with a user-facing reason. */
public final class Literals {
    private Literals() {}

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("`" + text + "` is not a duration (e.g. `30s`, `5m`, `30d`)");
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + text + "` is too large");
        }
        try {
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(Math.multiplyExact(n, 7));
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("`" + text + "` is too large");
        }
    }

    /** Converts a string to a value of a scalar type, or throws. */
    public static Value fromString(String s, Type target, Origin o) {
        if (!(target instanceof Type.Prim p)) throw new IllegalArgumentException("cannot convert a string to " + target.display());
        return switch (p) {
            case STRING -> new Value.Str(s, o);
            case VERSION -> new Value.Ver(Version.parse(s), o);
            case CIDR -> new Value.Net(Cidr.parse(s), o);
            case TOPIC -> {
                try {
                    yield new Value.Topic(TopicFilter.parse(s), o);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("`" + s + "` is not a topic filter: " + e.getMessage());
                }
            }
            case PORTS -> new Value.Ports(PortSet.parse(s), o);
            case SIZE -> new Value.Size(ByteSize.parse(s), o);
            case DURATION -> new Value.Dur(duration(s), o);
            case INT -> {
                try {
                    yield new Value.Int(Long.parseLong(s.trim()), o);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("`" + s + "` is not an integer");
                }
            }
            case BOOL -> switch (s.trim()) {
                case "true" -> new Value.Bool(true, o);
                case "false" -> new Value.Bool(false, o);
                default -> throw new IllegalArgumentException("`" + s + "` is not `true` or `false`");
            };
            default -> throw new IllegalArgumentException("cannot convert a string to " + target.display());
        };
    }

    /** True when strings convert to the type ({@link #fromString}). */
    public static boolean stringConvertible(Type t) {
        return t instanceof Type.Prim p && switch (p) {
            case VERSION, CIDR, TOPIC, PORTS, SIZE, DURATION -> true;
            default -> false;
        };
    }

    /** Converts an int or list of ints/port sets to a port set. */
    public static PortSet toPorts(Value v) {
        if (v instanceof Value.Ports p) return p.v();
        if (v instanceof Value.Int i) return PortSet.single((int) Math.max(0, Math.min(65535, i.v())));
        if (v instanceof Value.Items items) {
            List<PortSet.Range> rs = new ArrayList<>();
            for (Value e : items.items()) rs.addAll(toPorts(e).ranges());
            return PortSet.of(rs);
        }
        throw new IllegalArgumentException("not a port set: " + v.display());
    }
}
