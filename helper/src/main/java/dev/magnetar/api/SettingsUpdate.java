package dev.magnetar.api;

/**
 * A partial settings change: null fields stay as they are ({@code chainEndpoint} "" goes back to the
 * default). Port, network, chain endpoint, ask and uTP apply at the next daemon start; the rate limits,
 * the seeding goal and port mapping at once.
 */
public record SettingsUpdate(String downloadDir, Boolean quitWithBrowser, Integer listenPort, String network,
        Long downloadBytesPerSecond, Long uploadBytesPerSecond, String chainEndpoint, String askPerGiBBtt,
        Double seedRatioLimit, Long seedingTimeLimitMinutes, Boolean portMapping, Boolean utp) {}
