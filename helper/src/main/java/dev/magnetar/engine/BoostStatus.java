package dev.magnetar.engine;

/**
 * BTT spending/earning of one torrent. Amounts are given twice: as decimal BTT strings for display
 * ("1.5") and as exact base-unit strings (10^18 per BTT), never as floating point.
 *
 * @param budgetId the approved spend request backing the boost, or null when not boosted
 * @param budgetBtt what the approved budget still allows
 * @param rateBtt our standing (effective) bid in BTT per GiB ("0" when not bidding)
 * @param askBtt the lowest ask among the sellers we are connected to, in BTT per GiB; null when none is
 * @param payingPeers seeders we hold a paid slot at or still owe
 * @param paidPeers peers holding a paid slot from us
 * @param note why a boost buys nothing although asked for ("wallet locked", "waiting for approval", the sellers' ask
 *     out of reach: "at least N BTT needed for this torrent at the sellers' asks"), else null
 */
public record BoostStatus(boolean boosted, String budgetId, String budgetBtt, String budgetBaseUnits, String spentBtt,
        String spentBaseUnits, String earnedBtt, String earnedBaseUnits, String rateBtt, String rateBaseUnits, String askBtt,
        String askBaseUnits, int payingPeers, int paidPeers, String note) {}
