package dev.magnetar.api;

/**
 * A partial settings change: null fields stay as they are. Port and network apply at the next daemon
 * start; the rate limits at once.
 */
public record SettingsUpdate(String downloadDir, Boolean quitWithBrowser, Integer listenPort, String network,
        Long downloadBytesPerSecond, Long uploadBytesPerSecond) {}
