package dev.magnetar.util;

import java.util.Locale;

/** Run in a child JVM by {@link JvmFlagsTest}: how many locales the JVM lists, and how it formats a number in its default locale. */
public final class LocaleProbe {

    private LocaleProbe() {}

    public static void main(String[] args) {
        System.out.println("locales " + Locale.getAvailableLocales().length);
        System.out.println("default " + Locale.getDefault() + " formats " + String.format("%,.1f", 1234.5));
        System.out.println("root formats " + String.format(Locale.ROOT, "%,.1f", 1234.5));
    }
}
