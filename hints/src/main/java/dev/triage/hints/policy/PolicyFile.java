package dev.triage.hints.policy;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Sizes;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.classify.RuleSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads a policy file (TOML; see {@code docs/policy-file.md}). Every error names the file, the
 * line and the field. The shipped files are {@code policies/*.toml}; {@code dss} is the default.
 *
 * <pre>
 * version = 1
 * default_class = "unclassified"
 * [defaults]            # classes the file does not name
 * [zones.NAME]          # start, end, description
 * [classes.NAME]        # priority, admission, pinned, zone, write_mode, description
 * [[rules]]             # when, class (first match wins)
 * </pre>
 */
public final class PolicyFile {
    /** The name of the default policy file. */
    public static final String DEFAULT = "dss";

    private static final Set<String> TOP = Set.of("version", "default_class", "description", "defaults", "zones",
            "classes", "rules");
    private static final Set<String> CLASS_FIELDS = Set.of("priority", "admission", "pinned", "zone", "write_mode",
            "description");
    private static final Set<String> ZONE_FIELDS = Set.of("start", "end", "description");
    private static final Set<String> RULE_FIELDS = Set.of("when", "class", "description");

    private final String source;
    private final TomlParseResult toml;
    private final ClassVocabulary vocabulary;

    private PolicyFile(String source, TomlParseResult toml, ClassVocabulary vocabulary) {
        this.source = source;
        this.toml = toml;
        this.vocabulary = vocabulary;
    }

    /** Reads a policy file from a path. */
    public static PolicyConfig load(Path path, ClassVocabulary vocabulary) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path + ": no such policy file");
        }
        return parse(text, path.toString(), vocabulary);
    }

    /**
     * Reads a policy file given as a path, or the name of a shipped one ({@code dss}, {@code
     * lru-like}, ... as listed by {@link #builtins()}).
     */
    public static PolicyConfig loadPathOrBuiltin(String pathOrName, ClassVocabulary vocabulary) throws IOException {
        Path p = Path.of(pathOrName);
        if (Files.exists(p) || pathOrName.contains("/") || pathOrName.endsWith(".toml")) {
            return load(p, vocabulary);
        }
        return builtin(pathOrName, vocabulary);
    }

    /** A policy file shipped in the jar ({@code policies/NAME.toml} of the source tree). */
    public static PolicyConfig builtin(String name, ClassVocabulary vocabulary) throws IOException {
        String resource = "/dev/triage/policies/" + name + ".toml";
        try (InputStream in = PolicyFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new NoSuchFileException(name + ": no such policy file, nor a shipped one (shipped: "
                        + String.join(", ", builtins()) + ")");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "builtin:" + name + ".toml", vocabulary);
        }
    }

    /** The names of the shipped policy files. */
    public static List<String> builtins() {
        try (InputStream in = PolicyFile.class.getResourceAsStream("/dev/triage/policies/index.txt")) {
            if (in == null) {
                return List.of(DEFAULT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of(DEFAULT);
        }
    }

    /** Parses policy-file text; {@code source} names it in messages. */
    public static PolicyConfig parse(String text, String source, ClassVocabulary vocabulary) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().getFirst();
            throw new PolicyFileException(source, e.position().line(), "", "not valid TOML: " + e.getMessage());
        }
        return new PolicyFile(source, toml, vocabulary).read();
    }

    private PolicyConfig read() {
        unknownKeys(toml, List.of(), TOP, "a top-level key");
        if (toml.contains("version")) {
            Object v = toml.get("version");
            if (!(v instanceof Long l) || l != 1L) {
                throw error(List.of("version"), "only version 1 is known, got " + v);
            }
        }
        String defaultClass = ClassVocabulary.UNCLASSIFIED;
        if (toml.contains("default_class")) {
            defaultClass = className(List.of("default_class"), string(toml, List.of("default_class")));
        }

        Map<String, ZoneSpec> zones = readZones();
        ClassPolicy defaults = ClassPolicy.defaultFor("*");
        if (toml.contains("defaults")) {
            defaults = readClass(List.of("defaults"), "*", defaults, zones);
        }
        Map<String, ClassPolicy> classes = new LinkedHashMap<>();
        TomlTable ct = table(toml, List.of("classes"));
        if (ct != null) {
            for (String name : ct.keySet()) {
                List<String> path = List.of("classes", name);
                className(path, name);
                classes.put(name, readClass(path, name, defaults, zones));
            }
        }
        List<Classifier.RuleSource> rules = readRules();
        Classifier classifier;
        try {
            classifier = new Classifier(vocabulary, rules, defaultClass);
        } catch (RuleSyntaxException e) {
            throw new PolicyFileException(source, 0, "rules", e.getMessage()); // unreachable: checked per rule
        }
        return new PolicyConfig(source, vocabulary, classifier, new PolicyTable(vocabulary, classes, defaults),
                List.copyOf(zones.values()));
    }

    private Map<String, ZoneSpec> readZones() {
        Map<String, ZoneSpec> zones = new LinkedHashMap<>();
        TomlTable zt = table(toml, List.of("zones"));
        if (zt == null) {
            return zones;
        }
        for (String name : zt.keySet()) {
            List<String> path = List.of("zones", name);
            className(path, name);
            TomlTable z = table(toml, path);
            if (z == null) {
                throw error(path, "a zone is a table with start and end");
            }
            unknownKeys(z, path, ZONE_FIELDS, "a zone field");
            double[] start = bound(join(path, "start"), z.get("start"));
            double[] end = bound(join(path, "end"), z.get("end"));
            if (start[1] == end[1] && start[0] >= end[0]) {
                throw error(join(path, "end"), "the zone ends before it starts");
            }
            String description = z.contains("description") ? string(toml, join(path, "description")) : "";
            zones.put(name, new ZoneSpec(name, start[0], start[1] == 1, end[0], end[1] == 1, description));
        }
        return zones;
    }

    /** A zone bound: {value, 1 when a fraction}. */
    private double[] bound(List<String> path, Object v) {
        if (v == null) {
            throw error(path.subList(0, path.size() - 1), "missing field '" + path.getLast() + "'");
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.endsWith("%")) {
                try {
                    double d = Double.parseDouble(t.substring(0, t.length() - 1)) / 100.0;
                    if (d < 0 || d > 1) {
                        throw error(path, "a share must be within 0%..100%, got " + s);
                    }
                    return new double[] {d, 1};
                } catch (NumberFormatException e) {
                    throw error(path, "'" + s + "' is not a percentage");
                }
            }
            try {
                return new double[] {Sizes.parse(t), 0};
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage() + " (or a share such as \"45%\")");
            }
        }
        if (v instanceof Long l && l >= 0) {
            return new double[] {l, 0};
        }
        throw error(path, "expected a share (\"45%\") or a size (\"2GiB\", 4096), got " + v);
    }

    private ClassPolicy readClass(List<String> path, String name, ClassPolicy defaults, Map<String, ZoneSpec> zones) {
        TomlTable t = table(toml, path);
        if (t == null) {
            throw error(path, "a class is a table (e.g. [classes." + name + "])");
        }
        unknownKeys(t, path, CLASS_FIELDS, "a class field");
        int priority = defaults.priority();
        if (t.contains("priority")) {
            Object v = t.get("priority");
            if (!(v instanceof Long l) || l < 0 || l > ClassPolicy.LOWEST_PRIORITY) {
                throw error(join(path, "priority"), "must be an integer 0..255 (0 is evicted last), got " + v);
            }
            priority = (int) (long) l;
        }
        boolean admit = defaults.admit();
        double share = defaults.maxShare();
        if (t.contains("admission")) {
            Object v = t.get("admission");
            List<String> f = join(path, "admission");
            if (v instanceof String s) {
                switch (s) {
                    case "on" -> {
                        admit = true;
                        share = 1.0;
                    }
                    case "off" -> {
                        admit = false;
                        share = 0.0;
                    }
                    default -> {
                        if (s.endsWith("%")) {
                            share = fraction(f, s.substring(0, s.length() - 1), 100.0);
                            admit = share > 0;
                        } else {
                            throw error(f, "expected \"on\", \"off\", or a cap as a fraction of the cache (0.25 or \"25%\"), got \""
                                    + s + "\"");
                        }
                    }
                }
            } else if (v instanceof Double || v instanceof Long) {
                share = ((Number) v).doubleValue();
                if (share < 0 || share > 1) {
                    throw error(f, "a cap is a fraction of the cache in 0..1, got " + v);
                }
                admit = share > 0;
            } else if (v instanceof Boolean b) {
                admit = b;
                share = b ? 1.0 : 0.0;
            } else {
                throw error(f, "expected \"on\", \"off\", or a cap as a fraction of the cache (0.25), got " + v);
            }
        }
        boolean pinned = defaults.pinned();
        if (t.contains("pinned")) {
            Object v = t.get("pinned");
            if (!(v instanceof Boolean b)) {
                throw error(join(path, "pinned"), "expected true or false, got " + v);
            }
            pinned = b;
        }
        String zone = defaults.zone();
        if (t.contains("zone")) {
            zone = string(toml, join(path, "zone"));
            if (!zones.isEmpty() && !zones.containsKey(zone)) {
                throw error(join(path, "zone"), "no zone named '" + zone + "' (zones: " + String.join(", ", zones.keySet()) + ")");
            }
        }
        WriteMode mode = defaults.writeMode();
        if (t.contains("write_mode")) {
            String s = string(toml, join(path, "write_mode"));
            mode = WriteMode.ofFileName(s);
            if (mode == null) {
                throw error(join(path, "write_mode"), "expected inherit, write-through, write-back or write-around, got \"" + s + "\"");
            }
        }
        if (t.contains("description")) {
            string(toml, join(path, "description"));
        }
        if (!admit && pinned) {
            throw error(join(path, "pinned"), "a class with admission \"off\" is never cached, so it cannot be pinned");
        }
        return new ClassPolicy(name, priority, admit, admit ? share : 0.0, pinned, zone, mode);
    }

    private double fraction(List<String> path, String number, double scale) {
        try {
            double d = Double.parseDouble(number.trim()) / scale;
            if (d < 0 || d > 1) {
                throw error(path, "a cap is within 0%..100%, got " + number + "%");
            }
            return d;
        } catch (NumberFormatException e) {
            throw error(path, "'" + number + "%' is not a percentage");
        }
    }

    private List<Classifier.RuleSource> readRules() {
        List<Classifier.RuleSource> out = new ArrayList<>();
        if (!toml.contains("rules")) {
            return out;
        }
        if (!toml.isArray("rules")) {
            throw error(List.of("rules"), "rules are an array of tables: [[rules]] with when = \"...\" and class = \"...\"");
        }
        TomlArray a = toml.getArray("rules");
        for (int i = 0; i < a.size(); i++) {
            Object o = a.get(i);
            List<String> path = List.of("rules");
            if (!(o instanceof TomlTable r)) {
                throw error(path, "rule " + (i + 1) + " is not a table");
            }
            int line = lineOf(a.inputPositionOf(i));
            String where = "rules[" + (i + 1) + "]";
            for (String k : r.keySet()) {
                if (!RULE_FIELDS.contains(k)) {
                    throw new PolicyFileException(source, lineOf(r.inputPositionOf(List.of(k)), line), where + "." + k,
                            "unknown field (known: " + String.join(", ", sorted(RULE_FIELDS)) + ")");
                }
            }
            Object when = r.get("when");
            Object cls = r.get("class");
            if (!(when instanceof String w)) {
                throw new PolicyFileException(source, line, where + ".when", when == null ? "missing" : "expected a string");
            }
            if (!(cls instanceof String c)) {
                throw new PolicyFileException(source, line, where + ".class", cls == null ? "missing" : "expected a string");
            }
            int whenLine = lineOf(r.inputPositionOf(List.of("when")), line);
            if (!ClassVocabulary.isValidName(c)) {
                throw new PolicyFileException(source, lineOf(r.inputPositionOf(List.of("class")), line), where + ".class",
                        "'" + c + "' is not a class name ([a-z0-9_]+)");
            }
            try {
                dev.triage.hints.classify.RuleParser.parse(w, vocabulary);
            } catch (RuleSyntaxException e) {
                throw new PolicyFileException(source, whenLine, where + ".when", e.getMessage() + " (column " + e.column()
                        + " of \"" + w + "\")");
            }
            out.add(new Classifier.RuleSource(w, c, whenLine));
        }
        return out;
    }

    private String className(List<String> path, String name) {
        if (!ClassVocabulary.isValidName(name)) {
            throw error(path, "'" + name + "' is not a valid name ([a-z0-9_]+)");
        }
        return name;
    }

    private void unknownKeys(TomlTable t, List<String> path, Set<String> known, String what) {
        for (String k : t.keySet()) {
            if (!known.contains(k)) {
                throw error(join(path, k), "unknown field: not " + what + " (known: " + String.join(", ", sorted(known)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private TomlTable table(TomlTable root, List<String> path) {
        Object o = root.get(path);
        if (o == null) {
            return null;
        }
        if (!(o instanceof TomlTable t)) {
            throw error(path, "expected a table");
        }
        return t;
    }

    private String string(TomlTable root, List<String> path) {
        Object o = root.get(path);
        if (!(o instanceof String s)) {
            throw error(path, "expected a string, got " + o);
        }
        return s;
    }

    private PolicyFileException error(List<String> path, String what) {
        int line = 0;
        for (int n = path.size(); n > 0 && line == 0; n--) {
            line = lineOf(toml.inputPositionOf(path.subList(0, n)));
        }
        return new PolicyFileException(source, line, String.join(".", path), what);
    }

    private static int lineOf(TomlPosition p) {
        return p == null ? 0 : p.line();
    }

    private static int lineOf(TomlPosition p, int fallback) {
        return p == null ? fallback : p.line();
    }

    private static List<String> join(List<String> path, String key) {
        List<String> l = new ArrayList<>(path);
        l.add(key);
        return l;
    }
}
