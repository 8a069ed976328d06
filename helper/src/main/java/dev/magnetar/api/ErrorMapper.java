package dev.magnetar.api;

import dev.magnetar.approval.ApprovalStoreException;
import dev.magnetar.approval.BudgetTransitionException;
import dev.magnetar.approval.UnknownBudgetException;
import dev.magnetar.engine.EngineUnavailableException;
import dev.magnetar.engine.InvalidTorrentInputException;
import dev.magnetar.engine.MetadataNotKnownException;
import dev.magnetar.engine.NoSuchFileInTorrentException;
import dev.magnetar.engine.TorrentNotFoundException;
import dev.magnetar.engine.TorrentStateException;
import dev.magnetar.engine.UnusableDownloadFolderException;
import dev.magnetar.wallet.ChainException;
import dev.magnetar.wallet.ChainNotStartedException;
import dev.magnetar.wallet.InvalidAddressException;
import dev.magnetar.wallet.InvalidAmountException;
import dev.magnetar.wallet.InvalidMnemonicException;
import dev.magnetar.wallet.InvalidPrivateKeyException;
import dev.magnetar.wallet.UnknownNetworkException;
import dev.magnetar.wallet.WalletLockedException;
import dev.magnetar.wallet.WrongPasswordException;

/** Turns the typed errors of the engine, wallet and approvals into the API's stable error codes. */
final class ErrorMapper {

    private ErrorMapper() {}

    static ApiException map(Exception e) {
        if (e instanceof ApiException a) {
            return a;
        }
        if (e instanceof TorrentNotFoundException) {
            return new ApiException(ErrorCode.TORRENT_NOT_FOUND, e.getMessage(), e);
        }
        if (e instanceof NoSuchFileInTorrentException) {
            return new ApiException(ErrorCode.FILE_NOT_FOUND, e.getMessage(), e);
        }
        if (e instanceof MetadataNotKnownException) {
            return new ApiException(ErrorCode.METADATA_PENDING, e.getMessage(), e);
        }
        if (e instanceof InvalidTorrentInputException) {
            return new ApiException(ErrorCode.INVALID_TORRENT, e.getMessage(), e);
        }
        if (e instanceof UnusableDownloadFolderException) {
            return new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage(), e);
        }
        if (e instanceof TorrentStateException) {
            return new ApiException(ErrorCode.INVALID_TRANSITION, e.getMessage(), e);
        }
        if (e instanceof EngineUnavailableException) {
            return new ApiException(ErrorCode.ENGINE_UNAVAILABLE, e.getMessage(), e);
        }
        if (e instanceof UnknownBudgetException) {
            return new ApiException(ErrorCode.APPROVAL_NOT_FOUND, e.getMessage(), e);
        }
        if (e instanceof BudgetTransitionException) {
            return new ApiException(ErrorCode.INVALID_TRANSITION, e.getMessage(), e);
        }
        if (e instanceof WalletService.WalletExistsException) {
            return new ApiException(ErrorCode.WALLET_EXISTS, e.getMessage(), e);
        }
        if (e instanceof WalletService.FaucetUnavailableException) {
            return new ApiException(ErrorCode.FAUCET_UNAVAILABLE, e.getMessage(), e);
        }
        if (e instanceof InvalidMnemonicException || e instanceof InvalidPrivateKeyException) {
            return new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage(), e);
        }
        if (e instanceof WalletService.NoWalletException) {
            return new ApiException(ErrorCode.NO_WALLET, e.getMessage(), e);
        }
        if (e instanceof WrongPasswordException) {
            return new ApiException(ErrorCode.WRONG_PASSWORD, e.getMessage(), e);
        }
        if (e instanceof WalletLockedException) {
            return new ApiException(ErrorCode.WALLET_LOCKED, e.getMessage(), e);
        }
        if (e instanceof InvalidAmountException || e instanceof InvalidAddressException || e instanceof SettingsException) {
            return new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage(), e);
        }
        if (e instanceof ChainException || e instanceof ChainNotStartedException || e instanceof UnknownNetworkException) {
            return new ApiException(ErrorCode.CHAIN_UNAVAILABLE, e.getMessage(), e);
        }
        if (e instanceof ApprovalStoreException) {
            return new ApiException(ErrorCode.INTERNAL, e.getMessage(), e);
        }
        return new ApiException(ErrorCode.INTERNAL, "internal error; see the helper log", e);
    }
}
