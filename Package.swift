// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// Where `scripts/setup` builds librdkafka when the system's is too old: linked
/// binaries look there first, so they never pick up an older system copy.
let librdkafkaRPath = (Context.environment["ASYSTA_DEPS"] ?? Context.packageDirectory + "/.deps") + "/librdkafka/lib"

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let hummingbirdAuth = Target.Dependency.product(name: "HummingbirdAuth", package: "hummingbird-auth")
let jwtKit = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
let httpClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let cryptoExtras = Target.Dependency.product(name: "_CryptoExtras", package: "swift-crypto")

/// A service is an executable whose code sits in `Services/<Name>`; its tests
/// import it with `@testable import`.
/// `documents`: what it serves as committed (its OpenAPI document, timesheet's AsyncAPI too).
/// Its migrations and documents are compiled in (`EmbedFiles`), not bundled: a resource
/// bundle's accessor would link Foundation, and ICU with it, into the service.
func service(_ name: String, _ extra: [Target.Dependency] = [], documents: [String] = ["openapi.yaml"]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["Domain", "EventJSON", "Messaging", "ServiceRuntime", "Postgres", "Kafka", hummingbird, log, metrics, lifecycle] + extra,
        path: "Services/\(name)",
        exclude: ["CANVAS.md", "Migrations"] + documents,
        swiftSettings: swiftSettings,
        plugins: ["EmbedFiles"]
    )
}

func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(
        name: name,
        dependencies: dependencies + ["TestSupport", log],
        path: "Tests/\(name)",
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "asysta",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intake", targets: ["Intake"]),
        .executable(name: "eligibility", targets: ["Eligibility"]),
        .executable(name: "ordering", targets: ["Ordering"]),
        .executable(name: "timesheet", targets: ["Timesheet"]),
        .executable(name: "reporting", targets: ["Reporting"]),
        .executable(name: "portal", targets: ["Portal"]),
        .executable(name: "asysta-admin", targets: ["Admin"]),
        .library(name: "Domain", targets: ["Domain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Without its default trait FullFoundation, Hummingbird uses FoundationEssentials (Foundation with ICU costs each service 9 MB).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["ConfigurationSupport"]),
        // jwt-kit 5.8 needs swift-crypto 4 (resolves to 4.5.2).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // MARK: C libraries
        .systemLibrary(
            name: "CLibPQ",
            path: "Libraries/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(name: "CLibZ", path: "Libraries/CLibZ", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CRDKafka",
            path: "Libraries/CRDKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),

        // MARK: Our libraries
        .target(
            name: "Kafka",
            dependencies: ["CRDKafka", log, lifecycle],
            path: "Libraries/Kafka",
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", librdkafkaRPath])]
        ),
        .target(name: "Postgres", dependencies: ["CLibPQ", log, lifecycle], path: "Libraries/Postgres", swiftSettings: swiftSettings),
        .target(name: "Domain", path: "Libraries/Domain", swiftSettings: swiftSettings),
        // Every event's JSON form (CloudEvents envelope, fast reader and writer); Domain does not read it.
        .target(name: "EventJSON", dependencies: ["Domain"], path: "Libraries/EventJSON", swiftSettings: swiftSettings),
        .target(
            name: "Messaging",
            dependencies: ["Domain", "EventJSON", "Kafka", "Postgres", log, metrics, lifecycle, crypto],
            path: "Libraries/Messaging",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceRuntime",
            dependencies: [
                "Domain", "EventJSON", "Kafka", "Postgres", "Messaging", hummingbird, hummingbirdAuth, jwtKit, crypto, log, metrics, lifecycle,
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Libraries/ServiceRuntime",
            swiftSettings: swiftSettings
        ),

        // MARK: Services
        service("Intake", [crypto]),
        service("Eligibility"),
        service("Ordering"),
        service("Timesheet", [crypto], documents: ["openapi.yaml", "asyncapi.yaml"]),
        service("Reporting", ["CLibZ"]),

        // MARK: The web front: pages over the five services' public APIs, no broker.
        .executableTarget(
            name: "Portal",
            dependencies: [
                "Domain", "EventJSON", "ServiceRuntime", "Postgres", hummingbird, hummingbirdAuth, mustache, httpClient, crypto, cryptoExtras, jwtKit,
                log,
                metrics, lifecycle,
            ],
            path: "Services/Portal",
            exclude: ["CANVAS.md", "Migrations"],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),

        // MARK: Build tools
        .executableTarget(name: "EmbedFilesTool", path: "Tools/EmbedFiles"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesTool"], path: "Tools/EmbedFilesPlugin"),

        // MARK: Operator tool
        .executableTarget(
            name: "Admin",
            dependencies: [
                "Domain", "EventJSON", "Kafka", "ServiceRuntime", log, lifecycle, crypto,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/Admin",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "Kafka", "Postgres", "Domain", "EventJSON", "Messaging", "ServiceRuntime", log, lifecycle, hummingbird, hummingbirdTesting, crypto,
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        tests("DomainTests", ["Domain", "EventJSON"]),
        tests("KafkaTests", ["Kafka"]),
        tests("PostgresTests", ["Postgres"]),
        tests("MessagingTests", ["Messaging", "Domain"]),
        tests("ServiceRuntimeTests", ["ServiceRuntime", hummingbirdTesting]),
        tests("IntakeTests", ["Intake", "Domain", hummingbirdTesting]),
        tests("EligibilityTests", ["Eligibility", "Intake", "Domain", hummingbirdTesting]),
        tests("PortalTests", ["Portal", "Domain", hummingbirdTesting, httpClient, jwtKit, cryptoExtras]),
        tests("OrderingTests", ["Ordering", "Domain", hummingbirdTesting]),
        tests("TimesheetTests", ["Timesheet", "Domain", hummingbirdTesting, crypto]),
        tests(
            "ReportingTests",
            ["Reporting", "Domain", "Postgres", "Messaging", hummingbirdTesting, .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The services as separate processes (their built executables), driven through HTTP and Kafka only.
        tests("SuiteTests", ["Domain", "Kafka", "Postgres", "ServiceRuntime", crypto]),
        tests("EndToEndTests", ["Ordering", "Timesheet", "Domain", "Kafka", "Postgres", "ServiceRuntime", hummingbirdTesting]),
        tests(
            "HostileInputTests",
            ["Intake", "Eligibility", "Ordering", "Timesheet", "Reporting", "Domain", "Kafka", "Postgres", "ServiceRuntime", hummingbirdTesting]),
        // Benchmarks print figures and assert nothing about time; `scripts/bench` runs them, `scripts/test` skips them.
        .testTarget(
            name: "Benchmarks",
            dependencies: ["Reporting", "Timesheet", "Domain", "EventJSON", "Kafka", "Postgres", "Messaging", "TestSupport", log, crypto],
            path: "Benchmarks",
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
