// swift-tools-version:5.9
// SafeShareCore: the Rust core for iOS. The XCFramework (static libraries for device and
// simulator, with the uniffi C headers and one module map declaring `safeshareFFI` and
// `safeshare_coreFFI`) and the generated `safeshare.swift` and `safeshare_core.swift` (core's
// own records, enums and error) come from `bindings/build-ios`; the platform services (Keychain
// SecretStore, system Clock) are written here. Generated files are not committed.
import PackageDescription

let package = Package(
    name: "SafeShareCore",
    platforms: [.iOS(.v16)],
    products: [
        .library(name: "SafeShareCore", targets: ["SafeShareCore"]),
    ],
    targets: [
        .binaryTarget(name: "SafeShareFFI", path: "SafeShareFFI.xcframework"),
        .target(
            name: "SafeShareCore",
            dependencies: ["SafeShareFFI"],
            path: "Sources/SafeShareCore",
            linkerSettings: [
                // ring and SQLite (bundled by rusqlite) need nothing beyond the system C library;
                // the Security framework is for the Keychain store.
                .linkedFramework("Security"),
            ]
        ),
    ]
)
