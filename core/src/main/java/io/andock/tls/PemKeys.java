package io.andock.tls;

import io.andock.AndockException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker's {@code ca.pem}, {@code cert.pem}, {@code key.pem} as Java key stores (PKCS#8 RSA/EC keys, PKCS#1 RSA keys). */
public final class PemKeys {
    public static final String PASSWORD = "andock";
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private PemKeys() {}

    public static KeyStore keyStore(Path certPem, Path keyPem) throws Exception {
        List<Certificate> chain = certs(certPem);
        PrivateKey key = key(keyPem);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
        return ks;
    }

    public static KeyStore trustStore(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certs(caPem)) ks.setCertificateEntry("ca" + i++, c);
        return ks;
    }

    private static List<Certificate> certs(Path pem) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        for (Block b : blocks(pem)) if (b.type.equals("CERTIFICATE")) out.add(cf.generateCertificate(new ByteArrayInputStream(b.der)));
        if (out.isEmpty()) throw AndockException.invalid("no certificate in " + pem);
        return out;
    }

    private static PrivateKey key(Path pem) throws Exception {
        for (Block b : blocks(pem)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    for (String alg : new String[]{"RSA", "EC", "Ed25519"}) {
                        try {
                            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(b.der));
                        } catch (Exception ignored) {
                            // try the next algorithm
                        }
                    }
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(b.der)));
                }
                default -> {
                }
            }
        }
        throw AndockException.invalid("no usable private key in " + pem + " (PKCS#8, or PKCS#1 RSA; convert EC keys with openssl pkcs8 -topk8 -nocrypt)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algId, 0, body, version.length, algId.length);
        System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len;
        if (n < 0x80) len = new byte[]{(byte) n};
        else if (n < 0x100) len = new byte[]{(byte) 0x81, (byte) n};
        else if (n < 0x10000) len = new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n};
        else len = new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path pem) throws IOException {
        String text = Files.readString(pem);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).trim())));
        return out;
    }
}
