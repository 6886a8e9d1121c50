package io.tessera.tablet.mysqlctl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.util.ConfigurableSocketFactory;

/**
 * Lets MariaDB Connector/J connect through a unix socket using the JDK's own unix-domain channels. The driver's
 * {@code localSocket} option needs JNA, which the tablet does not ship; this factory needs nothing extra. Select it
 * with the URL options {@code socketFactory=io.tessera.tablet.mysqlctl.UnixSocketFactory} and
 * {@code tesseraUnixSocket=<path>}; {@link DbConnector#jdbcUrl()} writes both.
 *
 * <p>The driver creates one factory per connection through the public no-argument constructor.
 */
public final class UnixSocketFactory extends ConfigurableSocketFactory {
    /** The URL option that carries the socket path. */
    public static final String SOCKET_PATH_OPTION = "tesseraUnixSocket";

    private Path socketPath;

    /** Called by the driver. */
    public UnixSocketFactory() {}

    @Override
    public void setConfiguration(Configuration conf, String host) {
        String path = conf.nonMappedOptions().getProperty(SOCKET_PATH_OPTION);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("socketFactory " + getClass().getName() + " needs the URL option "
                    + SOCKET_PATH_OPTION + "=<path of the mysqld unix socket>");
        }
        socketPath = Path.of(path);
    }

    @Override
    public Socket createSocket() throws IOException {
        if (socketPath == null) {
            throw new IOException(getClass().getName() + " used without the " + SOCKET_PATH_OPTION + " option");
        }
        return new UnixDomainSocketAdapter(socketPath);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        Socket socket = createSocket();
        socket.connect(null, 0);
        return socket;
    }
}
