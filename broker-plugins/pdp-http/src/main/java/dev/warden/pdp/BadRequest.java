package dev.warden.pdp;

/** A request the PDP cannot read: answered with HTTP 400 and a JSON body naming a code, the field and a hint. */
final class BadRequest extends RuntimeException {
    final String code;
    final String field;
    final String hint;

    BadRequest(String code, String field, String message, String hint) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
        this.hint = hint;
    }
}
