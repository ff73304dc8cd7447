package dev.jobline;

import dev.jobline.time.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * How option values are read, for the server's options and the client's alike: converters whose
 * refusals say the rule ({@code must be a whole number from 0 to 65535, not 'x'}), defaults taken
 * from environment variables, and the one message a usage error prints, naming the option.
 */
public final class OptionValues {
    private OptionValues() {}

    /** The message for a usage error: {@code --port must be ..., not 'x'}, saying when the value came from the environment. */
    public static String explain(ParameterException e) {
        if (e.getCause() instanceof TypeConversionException refused && e.getArgSpec() instanceof OptionSpec option) {
            String from = e.getCommandLine().getCommandSpec().defaultValueProvider() instanceof FromEnvironment env
                    ? env.suppliedFrom(option) : null;
            return option.longestName() + (from == null ? "" : " (from " + from + ")") + " " + refused.getMessage();
        }
        return e.getMessage();
    }

    /**
     * Each option's default from the environment variable {@code variable} names for it, when that
     * is set and not blank; picocli asks only for options the command line did not give, so a flag
     * wins over its variable.
     */
    public static final class FromEnvironment implements IDefaultValueProvider {
        private final Map<String, String> env;
        private final Function<OptionSpec, String> variable;
        private final Map<OptionSpec, String> supplied = new HashMap<>();

        public FromEnvironment(Map<String, String> env, Function<OptionSpec, String> variable) {
            this.env = env;
            this.variable = variable;
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) return null;
            String name = variable.apply(option);
            String value = name == null ? null : env.get(name);
            if (value == null || value.isBlank()) return null;
            supplied.put(option, name);
            return value;
        }

        /** The variable this option's value came from, or null when it did not come from one. */
        String suppliedFrom(OptionSpec option) {
            return supplied.get(option);
        }
    }

    /** A whole number within bounds. */
    abstract static class WholeNumber implements ITypeConverter<Integer> {
        private final int min;
        private final int max;

        WholeNumber(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(String text) {
            try {
                int n = Integer.parseInt(text.trim());
                if (n >= min && n <= max) return n;
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw new TypeConversionException("must be a whole number from " + min + " to " + max + ", not '" + text + "'");
        }
    }

    public static final class Port extends WholeNumber {
        public Port() {
            super(0, 65535);
        }
    }

    public static final class Positive extends WholeNumber {
        public Positive() {
            super(1, Integer.MAX_VALUE);
        }
    }

    public static final class AtLeast1024 extends WholeNumber {
        public AtLeast1024() {
            super(1024, Integer.MAX_VALUE);
        }
    }

    /** A size in bytes of at least 1024: {@code 1048576}, or with a unit, {@code 512KiB}, {@code 100MiB}, {@code 10GiB}, {@code 1TiB}. */
    public static final class Bytes implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})(KiB|MiB|GiB|TiB)?");

        @Override
        public Long convert(String text) {
            Matcher m = SIZE.matcher(text.trim());
            if (m.matches()) {
                int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
                    case "KiB" -> 10;
                    case "MiB" -> 20;
                    case "GiB" -> 30;
                    default -> 40;
                };
                long n = Long.parseLong(m.group(1));
                if (n >= 1 && n <= (Long.MAX_VALUE >> shift) && (n << shift) >= 1024) return n << shift;
            }
            throw new TypeConversionException("must be a size of at least 1024 bytes, like 1048576, 512MiB or 10GiB, not '" + text + "'");
        }
    }

    /** A duration, read by {@link Durations#parse}: {@code 500ms}, {@code 30} (seconds), {@code 30s}, {@code 2m}, {@code 24h} or {@code 7d}. */
    public static final class Span implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@link Span} longer than zero. */
    public static final class PositiveSpan implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            Duration d = new Span().convert(text);
            if (d.isZero()) throw new TypeConversionException("must be more than 0, not '" + text + "'");
            return d;
        }
    }

    public static final class Store implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (text.equals("sqlite") || text.equals("memory") || text.equals("postgres")) return text;
            throw new TypeConversionException("must be sqlite, memory or postgres, not '" + text + "'");
        }
    }

    /** A node's name: 1 to 64 letters, digits, '.', '_' or '-'. */
    public static final class NodeName implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (text.matches("[A-Za-z0-9._-]{1,64}")) return text;
            throw new TypeConversionException("must be 1 to 64 letters, digits, '.', '_' or '-', not '" + text + "'");
        }
    }

    /** {@code on} or {@code off}, kept as text: picocli reads a boolean field as a flag whatever its converter. */
    public static final class OnOrOff implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (text.equals("on") || text.equals("off")) return text;
            throw new TypeConversionException("must be on or off, not '" + text + "'");
        }
    }

    public static final class TrueOrFalse implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String text) {
            if (text.equals("true") || text.equals("false")) return text.equals("true");
            throw new TypeConversionException("must be true or false, not '" + text + "'");
        }
    }

    /** Declared queues, {@code name=LIMIT,...}: each name 1 to 64 letters, digits, '.', '_' or '-', each limit a whole number from 1. */
    public static final class Queues implements ITypeConverter<Queues.Declared> {
        /** The queues an option declared, by name, in the order given. */
        public record Declared(java.util.Map<String, Integer> limits) {}

        @Override
        public Declared convert(String text) {
            return new Declared(java.util.Collections.unmodifiableMap(read(text)));
        }

        private static java.util.Map<String, Integer> read(String text) {
            java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
            if (text.isBlank()) return out;
            for (String part : text.split(",")) {
                String p = part.strip();
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq).strip();
                if (eq < 0 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") || name.equals("default")) {
                    throw new TypeConversionException("must be name=LIMIT pairs separated by commas, like emails=5,reports=2 (names of letters,"
                            + " digits, '.', '_' or '-', not 'default'), not '" + p + "'");
                }
                String limit = p.substring(eq + 1).strip();
                if (!limit.matches("[0-9]{1,6}") || Integer.parseInt(limit) < 1) {
                    throw new TypeConversionException("the limit of queue " + name + " must be a whole number from 1, not '" + limit + "'");
                }
                if (out.put(name, Integer.parseInt(limit)) != null) throw new TypeConversionException("queue " + name + " is declared twice");
            }
            return out;
        }
    }
}
