-- API tokens (`databank token create`): bearer credentials for staff
-- scripts, the command line and federation clients. Only the SHA-256 of a
-- token's secret is kept; the secret has 256 random bits, so a plain
-- digest is safe and one indexed lookup finds a token per request.
CREATE TABLE api_token (
    id            uuid PRIMARY KEY,
    name          text NOT NULL CONSTRAINT api_token_name_key UNIQUE,
    secret_sha256 bytea NOT NULL CONSTRAINT api_token_secret_sha256_key UNIQUE
                  CONSTRAINT api_token_secret_sha256_length CHECK (length(secret_sha256) = 32),
    role          text NOT NULL CONSTRAINT api_token_role_check CHECK (role IN ('researcher', 'staff', 'admin', 'federation')),
    all_biobanks  boolean NOT NULL DEFAULT false,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoked_by    text,
    last_used_at  timestamptz,
    CONSTRAINT api_token_expires_after_created CHECK (expires_at > created_at)
);

-- The biobanks a token acts for, by id, so that a renamed biobank keeps
-- its tokens and a token cannot name a biobank that does not exist.
CREATE TABLE api_token_biobank (
    token_id   uuid NOT NULL REFERENCES api_token (id),
    biobank_id uuid NOT NULL REFERENCES biobank (id),
    PRIMARY KEY (token_id, biobank_id)
);
