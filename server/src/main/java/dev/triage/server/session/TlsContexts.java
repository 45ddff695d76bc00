package dev.triage.server.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Builds a server {@link SSLContext} from the PEM files qemu-nbd and nbdkit use: a certificate
 * chain, an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), and optionally a CA
 * whose certificates are trusted for client certificates (their subject CN decides access).
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    public static SSLContext fromPem(Path certChain, Path privateKey, Path clientCa) throws IOException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(certChain)) {
                chain = cf.generateCertificates(in);
            }
            if (chain.isEmpty()) {
                throw new IOException(certChain + ": no certificate");
            }
            PrivateKey key = readKey(privateKey);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("server", key, pw, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            TrustManagerFactory tmf = null;
            if (clientCa != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(clientCa)) {
                    for (Certificate c : cf.generateCertificates(in)) {
                        ts.setCertificateEntry("ca" + i++, c);
                    }
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : new TrustManager[] {quietIssuers(tmf)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS setup from " + certChain + " and " + privateKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * The trust manager of {@code tmf}, but naming no accepted issuers: JSSE then sends no
     * certificate_authorities list in its CertificateRequest, and GnuTLS clients (libnbd, qemu)
     * offer their certificate instead of sending an empty one when the DN comparison fails.
     */
    private static TrustManager quietIssuers(TrustManagerFactory tmf) {
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new X509ExtendedTrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                        x.checkClientTrusted(chain, authType, socket);
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                        x.checkServerTrusted(chain, authType, socket);
                    }

                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                        x.checkClientTrusted(chain, authType, engine);
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                        x.checkServerTrusted(chain, authType, engine);
                    }

                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                        x.checkClientTrusted(chain, authType);
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                        x.checkServerTrusted(chain, authType);
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                };
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) {
            throw new IOException(file + ": expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert with "
                    + "`openssl pkcs8 -topk8 -nocrypt`");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unsupported key algorithm");
    }
}
