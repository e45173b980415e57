package io.andock.driver.oci;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The smallest program a runtime can be asked to start: a static ELF that calls {@code exit_group(0)}, for the
 * host's architecture. It lets {@link RuntimeProbe} run a real container without an image or the host's
 * libraries (on Android they live in /apex and /system, on Debian in /usr).
 */
final class ProbeBinary {
    private static final long BASE = 0x400000;
    private static final int EHDR = 64, PHDR = 56;

    private ProbeBinary() {}

    /** The program for a Go architecture name, or null when andock has none for it. */
    static byte[] forArch(String goArch) {
        return switch (goArch) {
            // mov eax, 231 (exit_group); xor edi, edi; syscall
            case "amd64" -> elf(62, new byte[] {(byte) 0xb8, (byte) 0xe7, 0, 0, 0, 0x31, (byte) 0xff, 0x0f, 0x05});
            // mov x8, #94 (exit_group); mov x0, #0; svc #0
            case "arm64" -> elf(183, words(0xD2800BC8, 0xD2800000, 0xD4000001));
            default -> null;
        };
    }

    private static byte[] words(int... ws) {
        ByteBuffer b = ByteBuffer.allocate(ws.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : ws) b.putInt(w);
        return b.array();
    }

    /** An ELF64 little-endian executable with one loadable segment (headers + code), entry at the code. */
    private static byte[] elf(int machine, byte[] code) {
        int size = EHDR + PHDR + code.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) machine).putInt(1);      // ET_EXEC, machine, EV_CURRENT
        b.putLong(BASE + EHDR + PHDR).putLong(EHDR).putLong(0);          // entry, phoff, shoff
        b.putInt(0).putShort((short) EHDR).putShort((short) PHDR).putShort((short) 1);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);  // no sections
        b.putInt(1).putInt(5).putLong(0).putLong(BASE).putLong(BASE);    // PT_LOAD, R+X, offset, vaddr, paddr
        b.putLong(size).putLong(size).putLong(0x1000);
        b.put(code);
        return b.array();
    }
}
