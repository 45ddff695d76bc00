package dev.triage.hints.classify;

/** The numeric operators of rule conditions, as in Open CAS ({@code eq ne lt gt le ge}). */
enum Comparison {
    EQ, NE, LT, GT, LE, GE;

    boolean test(long value, long operand) {
        return switch (this) {
            case EQ -> value == operand;
            case NE -> value != operand;
            case LT -> value < operand;
            case GT -> value > operand;
            case LE -> value <= operand;
            case GE -> value >= operand;
        };
    }

    static Comparison of(String s) {
        return switch (s) {
            case "eq" -> EQ;
            case "ne" -> NE;
            case "lt" -> LT;
            case "gt" -> GT;
            case "le" -> LE;
            case "ge" -> GE;
            default -> null;
        };
    }
}
