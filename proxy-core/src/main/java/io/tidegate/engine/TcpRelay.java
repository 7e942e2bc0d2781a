package io.tidegate.engine;

import io.tidegate.engine.Exchange.RequestPhase;
import io.tidegate.engine.Exchange.ResponsePhase;
import java.io.IOException;

/**
 * Raw bytes both ways between a {@link ClientConnection} and its server connection, for
 * {@code mode tcp} and for a connection upgraded by a 101 response: {@link #clientToServer()} is
 * clientToProxy and proxyToServer in one step, {@link #serverToClient()} serverToProxy and
 * proxyToClient. Nothing is parsed; each direction stops reading while the other side's socket is full.
 * A FIN is relayed as a half-close, as HAProxy does: when one side shuts its sending side, the other
 * side's output is shut once everything before the FIN went out, and the other direction goes on until
 * it ends too or the half-closed timeout ({@code timeout client-fin}/{@code server-fin}) expires.
 */
final class TcpRelay {
    private final ClientConnection session;
    private final Exchange ex;
    /** The client sent its FIN (relayed to the server as a shutdownOutput). */
    private boolean clientFinished;
    /** The server sent its FIN (relayed to the client as a shutdownOutput). */
    private boolean serverFinished;

    TcpRelay(ClientConnection session) {
        this.session = session;
        this.ex = session.ex;
    }

    /** mode tcp: no HTTP at all; pick a server at once and relay bytes both ways once connected. */
    void open() {
        open(true);
    }

    /** As {@link #open()}; {@code route} false when the content inspection chose the route already. */
    void open(boolean route) {
        ex.tRequest = System.nanoTime();
        ex.open = true;
        ex.termination = Termination.NONE;
        ExchangeFacts facts = session.facts;
        if (facts != null && route) session.frontend = session.home.route(facts);
        RuntimeBackend backend = session.frontend.backend();
        ex.reachedBackend = backend != null;
        RuntimeServer chosen = backend == null || facts == null ? null : backend.rdpCookieServer(facts);
        if (chosen == null && backend != null && facts != null) chosen = backend.stuckServer(facts);
        boolean stuck = chosen != null;
        if (chosen == null && backend != null) {
            chosen = facts == null ? backend.pickBalanced() : backend.pickBalanced(null, backend.hashKey(facts));
        }
        if (facts != null && chosen != null) backend.stick(facts, chosen);
        if (chosen == null && (backend == null || !backend.hasUsableServer())) {
            session.abort(Termination.SERVER_REFUSED_CONNECT);
            return;
        }
        session.upstream.admit(chosen, stuck);
    }

    /** The server connection is there (mode tcp) or the 101 went out: relay both ways. */
    void start() throws IOException {
        ex.requestPhase = RequestPhase.TUNNEL;
        ex.responsePhase = ResponsePhase.TUNNEL;
        session.resumeClientReads();
        session.upstream.resumeServerReads();
        clientToServer();
        if (!session.closed) serverToClient();
    }

    /** One direction is shut: the half-closed timeout applies, and the tunnel cannot be handed over. */
    boolean halfClosed() {
        return clientFinished || serverFinished;
    }

    /** clientToProxy + proxyToServer: what the client sends goes to the server as it is. */
    void clientToServer() throws IOException {
        ServerConnection c = session.upstream.server;
        IoBuffer clientIn = session.clientIn;
        while (!session.closed && !clientFinished) {
            if (!clientIn.isEmpty()) {
                clientIn.drain(c.conn(), clientIn.readable());
                if (!clientIn.isEmpty()) {
                    session.upstream.resumeServerWrites();
                    session.suspendClientReads();
                    return;
                }
            }
            int n = session.fillFromClient();
            if (n == 0) {
                session.upstream.suspendServerWrites();
                session.resumeClientReads();
                return;
            }
            if (n < 0) {      // everything the client sent went out: its FIN follows
                clientFinished = true;
                session.upstream.suspendServerWrites();
                if (serverFinished) {
                    session.close();
                } else {
                    c.conn().shutdownOutput();
                }
                return;
            }
        }
    }

    /** serverToProxy + proxyToClient: what the server sends goes to the client as it is. */
    void serverToClient() throws IOException {
        ServerConnection c = session.upstream.server;
        IoBuffer in = c.in;
        while (!session.closed && !serverFinished) {
            if (!in.isEmpty()) {
                int n = in.drain(session.client, in.readable());
                ex.bytesOut += n;
                if (!in.isEmpty()) {
                    session.resumeClientWrites();
                    session.upstream.suspendServerReads();
                    return;
                }
            }
            int n = in.fill(c.conn());
            if (n == 0) {
                session.suspendClientWrites();
                session.upstream.resumeServerReads();
                return;
            }
            if (n < 0) {      // everything the server sent went out: its FIN follows
                serverFinished = true;
                session.suspendClientWrites();
                if (clientFinished) {
                    session.close();
                } else {
                    session.client.shutdownOutput();
                }
                return;
            }
        }
    }
}
