package dev.triage.tools.serve;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One {@code --export} argument: {@code NAME=FILE[,size=N][,ro][,min-block=N][,allow-cn=A|B]
 * [,secret=S][,description=TEXT][,direct|,channel]}. Sizes take K/M/G/T suffixes (powers of 1024).
 * {@code direct} serves the file through {@code FileDevice} (O_DIRECT, holes punched on trim)
 * instead of the page-cached {@code FileChannelBackend}, which maps the file into memory
 * ({@code mmap}, the default) or uses positional FileChannel reads and writes ({@code channel}).
 */
record ExportSpec(String name, Path file, long size, boolean readOnly, int minBlock, Set<String> allowCns, String secret,
        String description, boolean direct, boolean mmap) {

    static ExportSpec parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--export " + arg + ": expected NAME=FILE[,size=..]");
        }
        String name = arg.substring(0, eq);
        String[] parts = arg.substring(eq + 1).split(",");
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("--export " + arg + ": no file after '='");
        }
        Path file = Path.of(parts[0]);
        long size = -1;
        boolean ro = false;
        int minBlock = 512;
        Set<String> cns = new LinkedHashSet<>();
        String secret = null;
        String description = null;
        boolean direct = false;
        boolean mmap = true;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int e = p.indexOf('=');
            String key = e < 0 ? p : p.substring(0, e);
            String value = e < 0 ? "" : p.substring(e + 1);
            switch (key) {
                case "size" -> size = parseSize(value, arg);
                case "ro" -> ro = true;
                case "min-block" -> minBlock = (int) parseSize(value, arg);
                case "allow-cn" -> cns.addAll(Set.of(value.split("\\|")));
                case "secret" -> secret = value;
                case "description" -> description = value;
                case "direct" -> direct = true;
                case "mmap" -> mmap = true;
                case "channel" -> mmap = false;
                default -> throw new IllegalArgumentException("--export " + arg + ": unknown key '" + key
                        + "' (known: size, ro, min-block, allow-cn, secret, description, direct, mmap, channel)");
            }
        }
        return new ExportSpec(name, file, size, ro, minBlock, cns, secret, description == null ? "" : description, direct, mmap);
    }

    static long parseSize(String v, String where) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("--export " + where + ": empty size");
        }
        char last = Character.toUpperCase(v.charAt(v.length() - 1));
        int shift = switch (last) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--export " + where + ": bad size '" + v + "'");
        }
    }
}
