package io.andock.daemon.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP/1.1 hijack, as dockerd does it: {@code 101 UPGRADED} with {@code Content-Type}, {@code Connection:
 * Upgrade}, {@code Upgrade: tcp} and no length headers; then Jetty hands the endpoint to this connection, which
 * offers blocking streams over it. Client half-close (FIN, or TLS close_notify) is EOF on {@link #input()} only;
 * output goes on until {@link #close()}. No idle timeout: a shell may sit quietly for hours.
 */
final class Hijack extends AbstractConnection implements Connection.UpgradeTo, Hijacked {
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Object fillLock = new Object();
    private ByteBuffer prefilled;
    private boolean fillable;
    private volatile boolean closed;

    private Hijack(EndPoint endPoint) {
        super(endPoint, Runnable::run);
    }

    /** Prepares the 101; it goes out when the caller completes the handler's callback. */
    static Hijack upgrade(Request request, Response response, String contentType) {
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        Hijack h = new Hijack(ep);
        response.setStatus(101);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, h);
        return h;
    }

    /** Streams may be used before Jetty has installed this connection: they wait for it here. */
    private void awaitOpen() throws IOException {
        try {
            if (!opened.await(30, TimeUnit.SECONDS)) {
                closed = true;
                throw new IOException("connection upgrade did not complete");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) {
            ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
            copy.put(buffer).flip();
            prefilled = copy;
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(0);
        opened.countDown();
    }

    @Override
    public void onClose(Throwable cause) {
        closed = true;
        wake();
        super.onClose(cause);
    }

    @Override
    public void onFillable() {
        wake();
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        wake();
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        return false;
    }

    private void wake() {
        synchronized (fillLock) {
            fillable = true;
            fillLock.notifyAll();
        }
    }

    private final InputStream in = new InputStream() {
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (eof) return -1;
            awaitOpen();
            synchronized (fillLock) {
                if (prefilled != null && prefilled.hasRemaining()) {
                    int n = Math.min(len, prefilled.remaining());
                    prefilled.get(b, off, n);
                    return n;
                }
            }
            ByteBuffer buf = BufferUtil.allocate(Math.min(len, 65536));
            while (true) {
                if (closed || !getEndPoint().isOpen()) {
                    eof = true;
                    return -1;
                }
                int n;
                try {
                    n = getEndPoint().fill(buf);
                } catch (IOException e) {
                    eof = true;
                    return -1;
                }
                if (n < 0) {
                    eof = true;
                    return -1;
                }
                if (n > 0) {
                    buf.get(b, off, n);
                    return n;
                }
                synchronized (fillLock) {
                    fillable = false;
                    try {
                        fillInterested();
                    } catch (RuntimeException e) {
                        // already interested
                    }
                    while (!fillable && !closed) {
                        try {
                            fillLock.wait(1000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException();
                        }
                    }
                }
            }
        }
    };

    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) return;
            awaitOpen();
            if (closed) throw new IOException("connection closed");
            Callback.Completable c = new Callback.Completable();
            getEndPoint().write(c, ByteBuffer.wrap(b, off, len));
            Exchange.await(c);
        }
    };

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void close() {
        try {
            awaitOpen();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (out) {
            closed = true;
            try {
                getEndPoint().shutdownOutput();
            } catch (RuntimeException ignored) {
                // already gone
            }
            getEndPoint().close();
        }
        wake();
    }
}
