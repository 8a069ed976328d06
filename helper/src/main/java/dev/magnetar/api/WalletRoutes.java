package dev.magnetar.api;

import dev.magnetar.api.ApiMessages.Ledger;
import dev.magnetar.api.ApiMessages.LedgerEntry;
import dev.magnetar.api.ApiMessages.ImportWalletRequest;
import dev.magnetar.api.ApiMessages.PasswordRequest;
import dev.magnetar.api.ApiMessages.RecoveryPhrase;
import java.util.Arrays;

/**
 * Handlers for {@code /api/v1/wallet...}. No route ever returns a key or the phrase of an existing
 * wallet; the one phrase a route returns is a new one that no wallet uses yet.
 */
final class WalletRoutes {

    /** The extension's own rule for a new wallet's password (the keystore's scrypt makes each guess slow, not impossible). */
    static final int MIN_NEW_PASSWORD_LENGTH = 8;

    private final WalletService wallet;

    WalletRoutes(WalletService wallet) {
        this.wallet = wallet;
    }

    Reply status(ApiCall call) {
        return Reply.ok(wallet.status());
    }

    Reply unlock(ApiCall call) throws Exception {
        PasswordRequest req = call.body(PasswordRequest.class);
        if (req.password() == null || req.password().length == 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "password is required");
        }
        return Reply.ok(wallet.unlock(req.password()));
    }

    Reply recoveryPhrase(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        return Reply.ok(new RecoveryPhrase(wallet.newRecoveryPhrase()));
    }

    Reply importWallet(ApiCall call) throws Exception {
        ImportWalletRequest req = call.body(ImportWalletRequest.class);
        char[] password = req.password() == null ? new char[0] : req.password();
        try {
            if ((req.recoveryPhrase() == null) == (req.privateKeyHex() == null)) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "give exactly one of recoveryPhrase or privateKeyHex");
            }
            if (password.length < MIN_NEW_PASSWORD_LENGTH) {
                throw new ApiException(ErrorCode.INVALID_REQUEST,
                        "the wallet password needs at least " + MIN_NEW_PASSWORD_LENGTH + " characters");
            }
            return Reply.created(wallet.importWallet(req.recoveryPhrase(), req.privateKeyHex(), password));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    Reply faucet(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        return Reply.ok(wallet.faucet());
    }

    Reply lock(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        return Reply.ok(wallet.lock());
    }

    Reply balance(ApiCall call) throws Exception {
        return Reply.ok(wallet.balance());
    }

    Reply ledger(ApiCall call) {
        return Reply.ok(new Ledger(wallet.ledger().stream().map(LedgerEntry::of).toList()));
    }
}
