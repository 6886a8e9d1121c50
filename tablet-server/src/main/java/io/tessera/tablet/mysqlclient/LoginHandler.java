package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tessera.tablet.mysqlctl.DbConnector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Logs a new channel in: reads the handshake, answers with the user, the mysql_native_password scramble and the
 * default database, follows an auth switch to mysql_native_password, then sets the session up as MariaDB
 * Connector/J does for the same {@link DbConnector} (see {@link SessionSetup}). Once the setup's OK arrives it hands
 * the channel to a {@link NativeConnection} and leaves the pipeline.
 */
final class LoginHandler extends ChannelInboundHandlerAdapter {
    private enum State { HANDSHAKE, AUTH, SETUP }

    /** The most a client announces it will accept in one packet; MariaDB ignores it (max_allowed_packet rules). */
    private static final int MAX_PACKET = 1 << 30;
    private static final int COM_QUERY = 0x03;

    private final DbConnector connector;
    private final PacketSequence sequence;
    private final PacketDecoder decoder;
    private final CompletableFuture<NativeConnection> done;
    private final boolean deprecateEof;
    private final long selectLimit;
    private State state = State.HANDSHAKE;
    private Handshake handshake;
    private long capabilities;

    LoginHandler(DbConnector connector, PacketSequence sequence, PacketDecoder decoder,
            CompletableFuture<NativeConnection> done, boolean deprecateEof, long selectLimit) {
        this.connector = connector;
        this.deprecateEof = deprecateEof;
        this.selectLimit = selectLimit;
        this.sequence = sequence;
        this.decoder = decoder;
        this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf p = (ByteBuf) msg;
        try {
            if (!p.isReadable()) {
                throw new IllegalStateException("empty packet");
            }
            switch (state) {
                case HANDSHAKE -> handshake(ctx, p);
                case AUTH -> auth(ctx, p);
                case SETUP -> setup(ctx, p);
            }
        } catch (RuntimeException e) {
            fail(ctx, new NativeConnectionException("protocol error logging in to mysqld at " + where() + ": "
                    + e.getMessage(), false, e));
        } finally {
            p.release();
        }
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf p) {
        if (header(p) == ServerPackets.ERR) {
            // mysqld refuses before the handshake: too many connections, host blocked...
            refused(ctx, ServerPackets.err(p));
            return;
        }
        handshake = Handshake.decode(p);
        long server = handshake.capabilities();
        if ((server & Capabilities.PROTOCOL_41) == 0 || (server & Capabilities.SECURE_CONNECTION) == 0) {
            fail(ctx, new NativeConnectionException("mysqld at " + where() + " (" + handshake.serverVersion()
                    + ") does not speak protocol 4.1 with secure authentication", false));
            return;
        }
        capabilities = SessionSetup.clientCapabilities(server, connector.database().isPresent(),
                deprecateEof);
        ByteBuf out = ctx.alloc().buffer(128);
        out.writeIntLE((int) capabilities);
        out.writeIntLE(MAX_PACKET);
        out.writeByte(SessionSetup.collation(handshake.collationId()));
        // 19 filler bytes, then MariaDB's extended capabilities (read by mysqld because CLIENT_MYSQL is clear).
        out.writeZero(19);
        out.writeIntLE((int) (capabilities >>> 32));
        Wire.writeNulString(out, connector.user().user());
        byte[] scramble = NativePassword.scramble(connector.user().password(), handshake.seed());
        out.writeByte(scramble.length);
        out.writeBytes(scramble);
        if ((capabilities & Capabilities.CONNECT_WITH_DB) != 0) {
            Wire.writeNulString(out, connector.database().orElseThrow());
        }
        Wire.writeNulString(out, NativePassword.PLUGIN);
        ctx.writeAndFlush(out);
        state = State.AUTH;
    }

    private void auth(ChannelHandlerContext ctx, ByteBuf p) {
        switch (header(p)) {
            case ServerPackets.OK -> setupSession(ctx, ServerPackets.ok(p).statusFlags());
            case ServerPackets.ERR -> refused(ctx, ServerPackets.err(p));
            case ServerPackets.EOF -> {
                // Auth switch request: the user's account uses another plugin, or mysqld wants a fresh seed.
                p.skipBytes(1);
                String plugin = Wire.readNulString(p);
                byte[] seed = new byte[p.readableBytes()];
                p.readBytes(seed);
                if (!NativePassword.PLUGIN.equals(plugin)) {
                    fail(ctx, new NativeConnectionException("mysqld at " + where() + " asks user "
                            + connector.user().user() + " to authenticate with " + plugin
                            + "; only mysql_native_password is supported", false));
                    return;
                }
                byte[] scramble = NativePassword.scramble(connector.user().password(), seed);
                ctx.writeAndFlush(ctx.alloc().buffer(scramble.length).writeBytes(scramble));
            }
            default -> throw new IllegalStateException("unexpected packet 0x" + Integer.toHexString(header(p))
                    + " during authentication");
        }
    }

    private void setupSession(ChannelHandlerContext ctx, int statusFlags) {
        String sql = SessionSetup.statement(statusFlags, selectLimit);
        ByteBuf out = ctx.alloc().buffer(1 + sql.length());
        out.writeByte(COM_QUERY);
        out.writeCharSequence(sql, StandardCharsets.UTF_8);
        sequence.reset();
        ctx.writeAndFlush(out);
        state = State.SETUP;
    }

    private void setup(ChannelHandlerContext ctx, ByteBuf p) {
        switch (header(p)) {
            case ServerPackets.OK -> {
                ctx.pipeline().remove(this);
                NativeConnection connection = new NativeConnection(ctx.channel(), handshake.connectionId(),
                        sequence, decoder, (capabilities & Capabilities.DEPRECATE_EOF) != 0,
                        (capabilities & Capabilities.MARIADB_CACHE_METADATA) != 0, connector.endpoint().describe(),
                        selectLimit);
                if (!done.complete(connection)) {
                    connection.close();
                }
            }
            case ServerPackets.ERR -> {
                MysqlServerException e = ServerPackets.err(p);
                fail(ctx, new NativeConnectionException("setting up the session on mysqld at " + where()
                        + " failed: error " + e.errno() + " (" + e.sqlState() + "): " + e.getMessage(), false, e));
            }
            default -> throw new IllegalStateException("unexpected packet 0x" + Integer.toHexString(header(p))
                    + " in answer to the session setup");
        }
    }

    private void refused(ChannelHandlerContext ctx, MysqlServerException e) {
        fail(ctx, new NativeConnectionException("mysqld at " + where() + " refused user " + connector.user().user()
                + ": error " + e.errno() + " (" + e.sqlState() + "): " + e.getMessage(), false, e));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new NativeConnectionException("mysqld at " + where() + " closed the connection during login",
                false));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new NativeConnectionException("logging in to mysqld at " + where() + " failed: "
                + cause.getMessage(), false, cause));
    }

    private void fail(ChannelHandlerContext ctx, NativeConnectionException e) {
        done.completeExceptionally(e);
        ctx.close();
    }

    private String where() {
        return connector.endpoint().describe();
    }

    private static int header(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex());
    }
}
