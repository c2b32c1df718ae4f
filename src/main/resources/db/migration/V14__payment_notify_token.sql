-- The new CinetPay API (issue 5, cinetpay.md §1.10): each payment comes with its own
-- notify_token, which its notifications carry back, and which is therefore a secret.
--
-- notify_token_hash: lowercase hex SHA-256 of the token, never the token itself. We only
--                    ever compare a received token with it (constant time, in the
--                    adapter): a digest is enough, and a leak of this table (backups,
--                    replicas, support queries) does not let anyone forge notifications.
--                    Encrypting instead would add a key to manage for no use: nothing
--                    needs the token back. No salt or slow hash: the token is CinetPay's
--                    random string, not a guessable password. NULL for legacy v2 attempts
--                    (their notifications are signed with the merchant's Secret Key).
ALTER TABLE payment_attempt
    ADD COLUMN notify_token_hash text CHECK (notify_token_hash ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT payment_attempt_notify_token_new_api_only CHECK (notify_token_hash IS NULL OR api = 'new'),
    -- a new-API attempt that got its payment URL also got its token: without it, its
    -- notifications could never be verified
    ADD CONSTRAINT payment_attempt_new_api_open_has_notify_token
        CHECK (api <> 'new' OR payment_url IS NULL OR notify_token_hash IS NOT NULL);

-- The return page accepts CinetPay's payment token (the `token` parameter, cinetpay.md
-- §1.5) as well as a transaction id: an unauthenticated lookup, so it needs an index.
CREATE INDEX payment_attempt_payment_token_idx ON payment_attempt (payment_token)
    WHERE payment_token IS NOT NULL AND payment_token <> '';
