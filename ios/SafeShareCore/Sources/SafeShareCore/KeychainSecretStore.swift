import Foundation
import Security

/// The core's SecretStore on iOS: generic-password items in the Keychain, readable only on this
/// device and only after its first unlock since boot (so background sync works while locked,
/// and the items never move to another device or into a backup). Called from Rust; it must not
/// call back into SafeShare.
public final class KeychainSecretStore: SecretStore, @unchecked Sendable {
    private let service: String

    public init(service: String = "uk.nhs.safeshare") {
        self.service = service
    }

    public func get(name: String) throws -> Data? {
        var query = base(name)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess: return item as? Data
        case errSecItemNotFound: return nil
        default: throw PlatformError.Unavailable(reason: "Keychain read failed (\(status))")
        }
    }

    public func put(name: String, value: Data) throws {
        let attributes: [String: Any] = [
            kSecValueData as String: value,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        let update = SecItemUpdate(base(name) as CFDictionary, attributes as CFDictionary)
        if update == errSecSuccess { return }
        guard update == errSecItemNotFound else {
            throw PlatformError.Unavailable(reason: "Keychain update failed (\(update))")
        }
        var add = base(name)
        add.merge(attributes) { $1 }
        let status = SecItemAdd(add as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw PlatformError.Unavailable(reason: "Keychain add failed (\(status))")
        }
    }

    public func delete(name: String) throws {
        let status = SecItemDelete(base(name) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw PlatformError.Unavailable(reason: "Keychain delete failed (\(status))")
        }
    }

    private func base(_ name: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: name,
            kSecAttrSynchronizable as String: false,
        ]
    }
}

/// The core's Clock on iOS: the phone's time. Never throws.
public final class SystemClock: Clock, @unchecked Sendable {
    public init() {}
    public func now() -> Date { Date() }
}
