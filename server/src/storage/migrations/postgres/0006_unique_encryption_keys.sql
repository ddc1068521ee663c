-- An X25519 encryption key belongs to one device, ever (docs/security.md, "Rosters"): a roster
-- must never list one key for two devices, or a device could claim a key whose private half it
-- does not hold and muddle who can read what. Backs the check in register_encryption_key.
CREATE UNIQUE INDEX device_encryption_keys_key_id ON device_encryption_keys (key_id);
