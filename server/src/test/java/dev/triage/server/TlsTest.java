package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import dev.triage.server.session.ServerConfig;
import dev.triage.server.session.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS with X.509 (JSSE) in FORCEDTLS mode, and access by client certificate CN: a Java
 * client with certificates for "alice" and "bob", and nbdinfo (GnuTLS) with libnbd's
 * {@code tls-certificates} directory. Certificates are made by openssl for each run.
 */
@Timeout(60)
class TlsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Path pki;

    static void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Tools.ok(pki, cmd);
    }

    static void issue(String name, String cn, String ext) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + cn);
        Files.writeString(pki.resolve(name + ".ext"), ext);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-out", name + "-cert.pem", "-days", "2", "-extfile", name + ".ext");
    }

    @BeforeAll
    static void start() throws Exception {
        Tools.require("openssl");
        pki = Files.createDirectories(dir.resolve("pki"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca-cert.pem", "-days", "2",
                "-subj", "/CN=triage-test-ca");
        issue("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        issue("alice", "alice", "extendedKeyUsage=clientAuth\n");
        issue("bob", "bob", "extendedKeyUsage=clientAuth\n");
        SSLContext ctx = TlsContexts.fromPem(pki.resolve("server-cert.pem"), pki.resolve("server-key.pem"), pki.resolve("ca-cert.pem"));
        Path serverDir = Files.createDirectories(dir.resolve("srv"));
        server = new TestServer(serverDir, 4 << 20, new ServerConfig(ctx, true, 16, ServerConfig.DEFAULT_WORKERS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static SSLContext client(String who) throws IOException {
        return TlsContexts.fromPem(pki.resolve(who + "-cert.pem"), pki.resolve(who + "-key.pem"), pki.resolve("ca-cert.pem"));
    }

    static List<String> list(RawClient c) throws IOException {
        c.option(Nbd.OPT_LIST, new byte[0]);
        return c.optReplies().stream().filter(r -> r.type() == Nbd.REP_SERVER)
                .map(r -> new String(r.data(), 4, r.buf().getInt(0), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void forcedTlsRefusesEverythingButStartTlsAndAbort() throws IOException {
        try (RawClient c = RawClient.tcp(server.port)) {
            c.greet();
            c.option(Nbd.OPT_GO, OptionCodec.encodeInfo("disk"));
            assertEquals(Nbd.REP_ERR_TLS_REQD, c.optReply().type());
            c.option(Nbd.OPT_LIST, new byte[0]);
            assertEquals(Nbd.REP_ERR_TLS_REQD, c.optReply().type());
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(Nbd.REP_ERR_TLS_REQD, c.optReply().type());
            c.ack(Nbd.OPT_ABORT);
        }
        try (RawClient c = RawClient.tcp(server.port)) {
            c.greet();
            c.option(Nbd.OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
            assertTrue(c.closedByServer(), "EXPORT_NAME before TLS ends the session");
        }
        try (RawClient c = RawClient.unix(server.socket)) {
            c.greet();
            c.option(Nbd.OPT_STARTTLS, new byte[0]);
            assertEquals(Nbd.REP_ERR_POLICY, c.optReply().type(), "TLS is offered over TCP only");
        }
    }

    @Test
    void clientCertificateCnDecidesExports() throws IOException {
        try (RawClient c = RawClient.tcp(server.port)) {
            c.greet();
            c.ack(Nbd.OPT_STARTTLS);
            c.startTls(client("alice"));
            c.option(Nbd.OPT_STARTTLS, new byte[0]);
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type(), "STARTTLS twice");
            assertEquals(List.of("disk", "ro", "alice"), list(c));
            c.ack(Nbd.OPT_STRUCTURED_REPLY);
            c.go("alice");
            byte[] data = new byte[4096];
            new Random(3).nextBytes(data);
            c.request(Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE, 1, 8192, data.length);
            c.out.write(data);
            c.flush();
            assertEquals(0, c.simpleReply().error());
            c.request(0, Nbd.CMD_READ, 2, 8192, data.length);
            c.flush();
            RawClient.Chunk ch = c.chunk();
            assertArrayEquals(data, java.util.Arrays.copyOfRange(ch.payload(), 8, ch.payload().length));
        }
        try (RawClient c = RawClient.tcp(server.port)) {
            c.greet();
            c.ack(Nbd.OPT_STARTTLS);
            c.startTls(client("bob"));
            assertEquals(List.of("disk", "ro"), list(c));
            c.option(Nbd.OPT_GO, OptionCodec.encodeInfo("alice"));
            assertEquals(Nbd.REP_ERR_POLICY, c.optReply().type());
            c.go("secret@s3cret");
        }
    }

    @Test
    void nbdinfoOverTls() throws Exception {
        Tools.require("nbdinfo");
        Path certs = Files.createDirectories(dir.resolve("nbdinfo-certs"));
        Files.copy(pki.resolve("ca-cert.pem"), certs.resolve("ca-cert.pem"));
        Files.copy(pki.resolve("alice-cert.pem"), certs.resolve("client-cert.pem"));
        Files.copy(pki.resolve("alice-key.pem"), certs.resolve("client-key.pem"));
        String uri = "nbds://127.0.0.1:" + server.port + "/alice?tls-certificates=" + certs;
        String out = Tools.ok(dir, "nbdinfo", uri);
        assertTrue(out.contains("with TLS") && out.contains("export-size: 1048576"), out);
        String list = Tools.ok(dir, "nbdinfo", "--list", uri);
        assertTrue(list.contains("export=\"alice\""), list);
        Tools.Result plain = Tools.run(dir, "nbdinfo", "nbd://127.0.0.1:" + server.port + "/disk");
        assertFalse(plain.exit() == 0, "a client without TLS is refused:\n" + plain.output());
    }
}
