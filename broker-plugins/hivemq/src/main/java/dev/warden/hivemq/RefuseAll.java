package dev.warden.hivemq;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;

/** The last line of defence: refuses every client. Uses SDK classes only, so it loads when nothing else does. */
final class RefuseAll implements SimpleAuthenticator {
    private final String why;

    RefuseAll(String why) { this.why = why; }

    @Override
    public void onConnect(SimpleAuthInput in, SimpleAuthOutput out) {
        out.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, why);
    }
}
