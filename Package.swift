// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "CareSync",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .library(name: "CareModel", targets: ["CareModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The common model: records, clocks, operations, canonical encoding, merge rules,
        // access policy. No I/O; shared by device, server and audit tools.
        .target(
            name: "CareModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "caresync-bench",
            dependencies: [
                "CareModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CareModelTests",
            dependencies: [
                "CareModel",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Golden")],
            swiftSettings: strictSwift
        ),
    ],
    swiftLanguageModes: [.v6]
)
