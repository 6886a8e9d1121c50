package io.tessera.tablet.mysqlctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} that talks over a unix-domain {@link SocketChannel}, for drivers that only know
 * {@code java.net.Socket}. The JDK's own socket adaptor does not support unix-domain channels, so this class
 * implements the parts a JDBC driver uses: connect, streams, read timeouts and close. TCP options are accepted and
 * ignored because they mean nothing on a unix socket.
 *
 * <p>The channel runs non-blocking with one selector per direction, so a read can honour {@code SO_TIMEOUT} and a
 * close from another thread (a driver's abort) wakes a blocked reader.
 */
final class UnixDomainSocketAdapter extends Socket {
    private final Path path;
    private final Object stateLock = new Object();
    private SocketChannel channel;
    private Selector readSelector;
    private Selector writeSelector;
    private InputStream input;
    private OutputStream output;
    private volatile int soTimeoutMillis;
    private volatile boolean closed;

    UnixDomainSocketAdapter(Path path) throws SocketException {
        // No SocketImpl: every method that would use one is overridden.
        super((SocketImpl) null);
        this.path = path;
    }

    @Override
    public void connect(SocketAddress ignored) throws IOException {
        connect(ignored, 0);
    }

    /** Connects to the unix socket; the address the driver passes (its TCP host and port) is not used. */
    @Override
    public void connect(SocketAddress ignored, int timeoutMillis) throws IOException {
        synchronized (stateLock) {
            if (closed) {
                throw new SocketException("socket is closed");
            }
            if (channel != null) {
                throw new SocketException("already connected to " + path);
            }
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                // A unix-domain connect completes or fails at once, so no connect timeout is needed.
                ch.connect(UnixDomainSocketAddress.of(path));
                ch.configureBlocking(false);
                Selector reads = Selector.open();
                Selector writes = Selector.open();
                ch.register(reads, SelectionKey.OP_READ);
                ch.register(writes, SelectionKey.OP_WRITE);
                channel = ch;
                readSelector = reads;
                writeSelector = writes;
                input = new ChannelInput();
                output = new ChannelOutput();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw new IOException("cannot connect to unix socket " + path + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean isConnected() {
        synchronized (stateLock) {
            return channel != null;
        }
    }

    @Override
    public boolean isBound() {
        return isConnected();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        synchronized (stateLock) {
            requireOpen();
            return input;
        }
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        synchronized (stateLock) {
            requireOpen();
            return output;
        }
    }

    @Override
    public void close() throws IOException {
        SocketChannel ch;
        Selector reads;
        Selector writes;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            ch = channel;
            reads = readSelector;
            writes = writeSelector;
        }
        if (ch != null) {
            // Closing the channel first makes a reader blocked in select() see the key cancelled and fail.
            ch.close();
            reads.wakeup();
            writes.wakeup();
            reads.close();
            writes.close();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        connectedChannel().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connectedChannel().shutdownOutput();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        soTimeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeoutMillis;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // Meaningless on a unix socket; the driver sets it on every socket.
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
        // Meaningless on a unix socket.
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // Meaningless on a unix socket.
    }

    @Override
    public int getSoLinger() {
        return -1;
    }

    @Override
    public void setReceiveBufferSize(int size) {
        // Kept at the kernel default.
    }

    @Override
    public void setSendBufferSize(int size) {
        // Kept at the kernel default.
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) {
        // TCP keep-alive tuning and similar options do not apply to unix sockets.
        return this;
    }

    @Override
    public void bind(SocketAddress bindpoint) {
        // A client unix socket needs no local address.
    }

    /** A unix socket peer is on this machine, so it reports the loopback address. */
    @Override
    public InetAddress getInetAddress() {
        return isConnected() ? InetAddress.getLoopbackAddress() : null;
    }

    @Override
    public int getPort() {
        return 0;
    }

    @Override
    public String toString() {
        return "UnixDomainSocketAdapter[" + path + (closed ? ", closed" : "") + "]";
    }

    private void requireOpen() throws SocketException {
        if (closed) {
            throw new SocketException("socket is closed");
        }
        if (channel == null) {
            throw new SocketException("socket is not connected");
        }
    }

    private SocketChannel connectedChannel() throws SocketException {
        synchronized (stateLock) {
            requireOpen();
            return channel;
        }
    }

    private final class ChannelInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            int timeout = soTimeoutMillis;
            long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0;
            try {
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0) {
                        return n;
                    }
                    long waitMillis = 0;
                    if (timeout > 0) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new SocketTimeoutException("read timed out after " + timeout + " ms on " + path);
                        }
                        waitMillis = Math.max(1, left / 1_000_000L);
                    }
                    readSelector.select(waitMillis);
                    readSelector.selectedKeys().clear();
                    if (closed) {
                        throw new SocketException("socket closed");
                    }
                }
            } catch (ClosedSelectorException e) {
                throw new SocketException("socket closed");
            }
        }

        @Override
        public int available() throws IOException {
            return 0;
        }

        @Override
        public void close() throws IOException {
            UnixDomainSocketAdapter.this.close();
        }
    }

    private final class ChannelOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            try {
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        // The kernel buffer is full: wait until the server reads.
                        writeSelector.select();
                        writeSelector.selectedKeys().clear();
                        if (closed) {
                            throw new SocketException("socket closed");
                        }
                    }
                }
            } catch (ClosedSelectorException e) {
                throw new SocketException("socket closed");
            }
        }

        @Override
        public void close() throws IOException {
            UnixDomainSocketAdapter.this.close();
        }
    }
}
