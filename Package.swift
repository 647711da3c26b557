// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "CareSync",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .library(name: "CareModel", targets: ["CareModel"]),
        .library(name: "CareStore", targets: ["CareStore"]),
        .library(name: "CareSyncClient", targets: ["CareSyncClient"]),
        .library(name: "CareServer", targets: ["CareServer"]),
        .library(name: "CareAudit", targets: ["CareAudit"]),
        .executable(name: "caresync-server", targets: ["caresync-server"]),
        .executable(name: "caresync", targets: ["caresync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // Webhook delivery; HummingbirdTesting already builds it (docs/ARCHITECTURE.md, "Notifications").
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The common model: records, clocks, operations, canonical encoding, merge rules,
        // access policy, wire messages. No I/O; shared by device, server and audit tools.
        .target(
            name: "CareModel",
            dependencies: ["CPrefetch", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Statements bound and stepped through SQLite's C API on GRDB's cached
        // statements: the hot write paths of device store and server.
        .target(
            name: "CareSQLite",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Device-side storage on SQLite: op log, materialized screens, outbox, sync cursor.
        .target(
            name: "CareStore",
            dependencies: [
                "CareModel",
                "CareSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test helper of CareStoreTests' crash test: performs store actions in a loop
        // and prints each returned action, until it is killed.
        .executableTarget(
            name: "care-store-crash-writer",
            dependencies: ["CareModel", "CareStore"],
            swiftSettings: swiftSettings
        ),
        // The system zlib (Linux zlib1g, Apple's libz), with its macros as C functions.
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        // The server programs' cap on glibc's malloc arenas, set by a constructor
        // before main (mallopt, which Swift's Glibc module does not export).
        .target(name: "CMallocArenas"),
        // glibc's malloc_trim for the server library (not exported by Glibc either).
        .target(name: "CMallocTrim"),
        // The compiler's prefetch hint, for the reducer's loop over operations.
        .target(name: "CPrefetch"),
        // gzip of HTTP bodies for client and server, with a cap on the decompressed size.
        .target(
            name: "CareCompression",
            dependencies: ["CZlib"],
            swiftSettings: swiftSettings
        ),
        // The device sync engine: pushes the outbox, pulls pages, retries, resumes.
        // Device code: no server dependency; HTTP through Foundation's URLSession.
        .target(
            name: "CareSyncClient",
            dependencies: ["CareModel", "CareStore", "CareCompression"],
            swiftSettings: swiftSettings
        ),
        // The sync server as a library: ingest, storage backends, auth, HTTP routes.
        .target(
            name: "CareServer",
            dependencies: [
                "CareModel",
                "CareCompression",
                "CareSQLite",
                "CMallocTrim",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Auditor tools: verify, replay, history and export of the server log,
        // from the server's storage or an exported file. Pure logic and reading.
        .target(
            name: "CareAudit",
            dependencies: ["CareModel", "CareServer"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "caresync-server",
            dependencies: [
                "CareServer",
                "CMallocArenas",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command line: device simulator, auditor commands, admin.
        .executableTarget(
            name: "caresync",
            dependencies: [
                "CareAudit",
                "CareModel",
                "CareStore",
                "CareServer",
                "CareSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The fault-injecting proxy as a program: `tools/flaky-network`'s delay proxy.
        .executableTarget(
            name: "caresync-proxy",
            dependencies: [
                "CareSyncTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `tools/bench NAME`: benchmarks that print figures and a JSON line.
        .executableTarget(
            name: "caresync-bench",
            dependencies: [
                "CareAudit",
                "CareModel",
                "CareStore",
                "CareServer",
                "CareSyncClient",
                "CareCompression",
                // The server benchmark's raw reference binds as ingest does.
                "CareSQLite",
                // Its server runs with caresync-server's malloc arena cap.
                "CMallocArenas",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The audit benchmark's baseline: a plain SHA-256 pass.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The device benchmark's baseline: raw SQLite C calls.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // `tools/bench postgres` makes a database per scenario.
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CareModelTests",
            dependencies: [
                "CareModel",
                // Runs the JSON-schema validator (python3) as a child process.
                "CareSyncTestSupport",
                // The receipt tests sign batches as the server does.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CareStoreTests",
            dependencies: [
                "CareStore",
                "CareSyncTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CareServerTests",
            dependencies: [
                "CareServer",
                "CareCompression",
                "CareSyncTestSupport",
                // The audit tests run against the same real test server.
                "CareAudit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // posix_spawn for the tests' child processes (see Tests/CSpawn/include/CSpawn.h).
        .target(name: "CSpawn", path: "Tests/CSpawn"),
        // Test support for the sync client: a loopback proxy that injects network faults;
        // child processes for every test target.
        .target(
            name: "CareSyncTestSupport",
            dependencies: [
                "CSpawn",
                "CareModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/CareSyncTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CareSyncClientTests",
            dependencies: [
                "CareSyncClient",
                "CareSyncTestSupport",
                "CareModel",
                "CareStore",
                "CareServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
