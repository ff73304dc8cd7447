package dev.jobline.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, without native code. */
final class Terminal {
    private Terminal() {}

    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false; // JDK 21: no console when input or output is redirected
        try {
            // why: from JDK 22 System.console() is never null; Console.isTerminal() then tells
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** The terminal's width from COLUMNS when the shell exports it, else 80. */
    static int width() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
