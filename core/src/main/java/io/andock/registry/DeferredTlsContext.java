package io.andock.registry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The JVM's default TLS context ({@link SSLContext#getDefault()}: its trust store, its key store, its protocols),
 * made at the first TLS connection instead of when the HttpClient is built. The JDK's HttpClient asks for the default
 * context in its constructor, which loads the TLS stack and parses every certificate of the trust store: 0.3-0.9 s
 * of class loading and compiling on a phone or a busy 2-core machine, before the first byte of a pull from a
 * plain-HTTP registry (loopback, a LAN mirror) that never uses it. Give the HttpClient this context together with
 * empty {@link SSLParameters} (null protocols and cipher suites: the engine's defaults, as the default context's
 * parameters would be; the HttpClient still adds host name verification, SNI and ALPN to them per connection).
 */
final class DeferredTlsContext extends SSLContext {
    private DeferredTlsContext() {
        super(new Spi(), null, "Default");
    }

    static SSLContext create() {
        return new DeferredTlsContext();
    }

    /** Every call goes to the default context, made on the first. */
    private static final class Spi extends SSLContextSpi {
        private volatile SSLContext real;

        private SSLContext real() {
            SSLContext r = real;
            if (r != null) return r;
            synchronized (this) {
                if (real == null) {
                    try {
                        real = SSLContext.getDefault();
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
                    }
                }
                return real;
            }
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new UnsupportedOperationException("the default TLS context is initialized by the JVM");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return real().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return real().getSupportedSSLParameters();
        }
    }
}
