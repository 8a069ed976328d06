package dev.magnetar.approval;

/**
 * Life of a budget: PENDING → APPROVED | REJECTED | EXPIRED; APPROVED → REVOKED | REPLACED | EXHAUSTED | EXPIRED.
 * REPLACED: the user approved a newer boost for the same torrent and network (see
 * {@link ApprovalStore#approve}). Only APPROVED can be spent from; every other state is final.
 */
public enum BudgetState {
    PENDING, APPROVED, REJECTED, EXPIRED, REVOKED, REPLACED, EXHAUSTED;

    public boolean isFinal() {
        return this != PENDING && this != APPROVED;
    }
}
