package dev.triage.hints.classify;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import dev.triage.hints.Sizes;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a rule expression into a {@link Condition}. The language follows Open CAS's ioclass
 * rules ({@code condition:operator:operand}, numeric operators {@code eq ne lt gt le ge}, a bare
 * number meaning {@code eq}) with a proper grammar: {@code !} binds tightest, then {@code &},
 * then {@code |}, and parentheses group.
 *
 * <pre>
 * expr   := term ('|' term)*
 * term   := factor ('&amp;' factor)*
 * factor := '!' factor | '(' expr ')' | condition
 * </pre>
 *
 * <p>Conditions: {@code tag:NAME}, {@code tagged}, {@code untagged}, {@code metadata},
 * {@code sync}, {@code fua}, {@code readahead}, {@code preflush}, {@code op:read|write|discard|flush}
 * (alias {@code io_direction}), {@code request_size:OP:N}, {@code offset:OP:N} (bytes),
 * {@code lba:OP:N} (512-byte sectors, the request's start), {@code file_size:OP:N} (false when
 * the size is unknown), {@code ioprio_class:none|rt|be|idle}, {@code process_name:NAME},
 * {@code process_prefix:PREFIX}, {@code volume:NAME}, {@code any}. Numbers take the suffixes of
 * {@link Sizes#parse}.
 */
public final class RuleParser {
    private final ClassVocabulary vocabulary;
    private final List<NameMatcher> processMatchers;
    private final List<NameMatcher> volumeMatchers;
    private String text;
    private int pos;

    RuleParser(ClassVocabulary vocabulary, List<NameMatcher> processMatchers, List<NameMatcher> volumeMatchers) {
        this.vocabulary = vocabulary;
        this.processMatchers = processMatchers;
        this.volumeMatchers = volumeMatchers;
    }

    /** Parses one expression, for tests and tools; name conditions stay unbound. */
    public static Condition parse(String expression, ClassVocabulary vocabulary) {
        return new RuleParser(vocabulary, new ArrayList<>(), new ArrayList<>()).parseExpression(expression);
    }

    Condition parseExpression(String expression) {
        this.text = expression;
        this.pos = 0;
        skipSpace();
        if (pos >= text.length()) {
            throw new RuleSyntaxException("empty rule", 1);
        }
        Condition c = expr();
        skipSpace();
        if (pos < text.length()) {
            throw new RuleSyntaxException("unexpected '" + text.charAt(pos) + "'", pos + 1);
        }
        return c;
    }

    private Condition expr() {
        Condition c = term();
        while (peek('|')) {
            pos++;
            c = c.or(term());
        }
        return c;
    }

    private Condition term() {
        Condition c = factor();
        while (peek('&')) {
            pos++;
            c = c.and(factor());
        }
        return c;
    }

    private Condition factor() {
        skipSpace();
        if (peek('!')) {
            pos++;
            return factor().negate();
        }
        if (peek('(')) {
            int open = pos;
            pos++;
            Condition c = expr();
            if (!peek(')')) {
                throw new RuleSyntaxException("'(' at column " + (open + 1) + " is not closed", pos + 1);
            }
            pos++;
            return c;
        }
        return condition();
    }

    private boolean peek(char c) {
        skipSpace();
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private Condition condition() {
        int start = pos;
        while (pos < text.length() && "&|!() \t".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (start == pos) {
            throw new RuleSyntaxException(pos < text.length()
                    ? "expected a condition at '" + text.charAt(pos) + "'" : "expected a condition at the end", pos + 1);
        }
        String word = text.substring(start, pos);
        String[] parts = word.split(":", -1);
        int col = start + 1;
        String name = parts[0];
        switch (name) {
            case "any", "always" -> {
                noOperand(parts, col);
                return r -> true;
            }
            case "tagged" -> {
                noOperand(parts, col);
                return r -> r.tag >= 0;
            }
            case "untagged" -> {
                noOperand(parts, col);
                return r -> r.tag < 0;
            }
            case "metadata" -> {
                return flag(parts, col, Rwbs.META);
            }
            case "sync" -> {
                return flag(parts, col, Rwbs.SYNC);
            }
            case "fua" -> {
                return flag(parts, col, Rwbs.FUA);
            }
            case "readahead" -> {
                return flag(parts, col, Rwbs.AHEAD);
            }
            case "preflush" -> {
                return flag(parts, col, Rwbs.PREFLUSH);
            }
            case "tag" -> {
                String cls = operand(parts, col, "a class name");
                if (!ClassVocabulary.isValidName(cls)) {
                    throw new RuleSyntaxException("'" + cls + "' is not a class name ([a-z0-9_]+)", col);
                }
                int id = vocabulary.intern(cls);
                return r -> r.tag == id;
            }
            case "op", "io_direction" -> {
                String o = operand(parts, col, "read, write, discard or flush");
                Op op = switch (o) {
                    case "read" -> Op.READ;
                    case "write" -> Op.WRITE;
                    case "discard", "trim" -> Op.DISCARD;
                    case "flush" -> Op.FLUSH;
                    default -> throw new RuleSyntaxException(
                            "'" + o + "' is not an operation (read, write, discard, flush)", col);
                };
                return r -> r.op == op;
            }
            case "request_size" -> {
                Numeric n = numeric(parts, col);
                return r -> n.cmp.test(r.length, n.value);
            }
            case "offset" -> {
                Numeric n = numeric(parts, col);
                return r -> n.cmp.test(r.offset, n.value);
            }
            case "lba" -> {
                Numeric n = numeric(parts, col);
                return r -> n.cmp.test(r.offset >>> 9, n.value);
            }
            case "file_size" -> {
                Numeric n = numeric(parts, col);
                return r -> r.fileSize >= 0 && n.cmp.test(r.fileSize, n.value);
            }
            case "ioprio_class" -> {
                String o = operand(parts, col, "none, rt, be or idle");
                int c = IoPrio.classOf(o, 0, o.length());
                if (c < 0) {
                    throw new RuleSyntaxException("'" + o + "' is not an I/O priority class (none, rt, be, idle)", col);
                }
                return r -> r.ioprio >= 0 && IoPrio.ioClass(r.ioprio) == c;
            }
            case "process_name", "process_prefix" -> {
                NameMatcher m = new NameMatcher(operand(parts, col, "a process name"), name.equals("process_prefix"));
                processMatchers.add(m);
                return r -> m.test(r.comm);
            }
            case "volume" -> {
                NameMatcher m = new NameMatcher(operand(parts, col, "a volume name"), false);
                volumeMatchers.add(m);
                return r -> m.test(r.volume);
            }
            default -> throw new RuleSyntaxException("unknown condition '" + name + "' (known: any, tagged, untagged, "
                    + "tag, metadata, sync, fua, readahead, preflush, op, request_size, offset, lba, file_size, "
                    + "ioprio_class, process_name, process_prefix, volume)", col);
        }
    }

    private static Condition flag(String[] parts, int col, int bit) {
        noOperand(parts, col);
        return r -> (r.flags & bit) != 0;
    }

    private static void noOperand(String[] parts, int col) {
        if (parts.length != 1) {
            throw new RuleSyntaxException("'" + parts[0] + "' takes no operand", col);
        }
    }

    private static String operand(String[] parts, int col, String what) {
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw new RuleSyntaxException("'" + parts[0] + "' takes one operand: " + parts[0] + ":<" + what + ">", col);
        }
        return parts[1];
    }

    private record Numeric(Comparison cmp, long value) {}

    private static Numeric numeric(String[] parts, int col) {
        String usage = parts[0] + ":[eq|ne|lt|gt|le|ge:]<number>";
        Comparison cmp;
        String number;
        if (parts.length == 2) {
            cmp = Comparison.EQ;
            number = parts[1];
        } else if (parts.length == 3) {
            cmp = Comparison.of(parts[1]);
            if (cmp == null) {
                throw new RuleSyntaxException("'" + parts[1] + "' is not an operator (eq ne lt gt le ge) in " + usage, col);
            }
            number = parts[2];
        } else {
            throw new RuleSyntaxException("expected " + usage, col);
        }
        try {
            return new Numeric(cmp, Sizes.parse(number));
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException(e.getMessage() + " in " + usage, col);
        }
    }

}
