import Domain
import Foundation
import Kafka
import TestSupport

/// Each of the five services as a process: seconds from spawn to
/// `/health/ready`, resident memory once idle, and under a short wrk burst on
/// one of its database-backed read routes (the peak sampled during the burst,
/// and the kernel's high-water mark VmHWM). All five share a namespace, so
/// reporting learns the editions eligibility publishes.
enum Footprint {
    /// The route each service is loaded on, and what it answers there.
    struct Load {
        var service: String
        var path: String
        var answers: String
    }

    /// Services left running after a failure are killed when the process exits (ServiceProcess).
    static func run(kafka: KafkaConfiguration, report: BenchReport) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            report.note("footprint under load not measured: wrk is not installed (apt-get install wrk)")
            return
        }
        let namespace = "bench-footprint-\(UUID().uuidString.prefix(6).lowercased())"
        try await KafkaAdmin.createTopics(Topic.all.map { KafkaTopicSpec(name: namespace + "." + $0.name, partitions: 6) }, configuration: kafka)
        let extra = ["editions.directory": repositoryRoot.appendingPathComponent("deploy/editions").path]
        var services: [String: ServiceProcess] = [:]
        for name in ["eligibility", "intake", "ordering", "timesheet", "reporting"] {
            let service = try await ServiceProcess(
                name: name, namespace: namespace, settings: name == "intake" ? extra.merging(intakeKeys) { $1 } : extra)
            try await service.start()
            services[name] = service
            report.record("footprint: \(name)", "start-up until /health/ready", service.startup, "s")
        }
        try await Task.sleep(for: .seconds(2))
        for (name, service) in services.sorted(by: { $0.key < $1.key }) {
            report.record("footprint: \(name)", "resident memory idle", service.residentMiB, "MiB")
        }

        let application = try await submitOneApplication(to: services["intake"]!)
        let deadline = now() + 60
        while await services["reporting"]!.get("/editions/2025/report").status != 200 {
            guard now() < deadline else { throw ServiceProcess.Failure("reporting did not learn edition 2025 within 60 s") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let loads = [
            Load(service: "intake", path: "/applications/\(application)", answers: "200"),
            Load(service: "eligibility", path: "/decisions?limit=100", answers: "200"),
            Load(service: "ordering", path: "/providers", answers: "200"),
            Load(
                service: "timesheet", path: "/providers/fundacja-imago/entries/none",
                answers: "404, no such entry: timesheet has no read route that needs no data"),
            Load(service: "reporting", path: "/editions/2025/report", answers: "200"),
        ]
        let seconds = Int(ProcessInfo.processInfo.environment["ASYSTA_BENCH_FOOTPRINT_SECONDS"] ?? "") ?? 5
        let bearer = try await TestTokens.bearer(.operator)
        for load in loads {
            let service = services[load.service]!
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("asysta-footprint-\(namespace)-\(load.service).lua")
            try """
            wrk.headers["Authorization"] = "\(bearer)"
            request = function() return wrk.format("GET", "\(load.path)") end

            """.write(to: script, atomically: true, encoding: .utf8)
            let (result, peak) = try await peakResident(of: service) {
                try await HTTPBenchmark.wrk(script: script, url: service.baseURL, seconds: seconds)
            }
            report.record("footprint: \(load.service)", "resident memory under load (peak)", peak, "MiB")
            report.record("footprint: \(load.service)", "resident high-water mark (VmHWM)", service.residentPeakMiB, "MiB")
            report.record("footprint: \(load.service)", "requests/s during the burst", result.perSecond, "req/s")
            if load.answers == "200", result.failures > 0 {
                report.note("footprint load on \(load.service): \(result.failures) answers were not 2xx")
            }
            report.note("footprint load on \(load.service): wrk -c64 for \(seconds) s on GET \(load.path), answered \(load.answers)")
        }
        for service in services.values { await service.stop() }
    }

    /// Intake's keys for personal data, fresh for the run.
    static var intakeKeys: [String: String] {
        let key = { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }
        return ["intake.encryption_key": key(), "intake.hash_key": key()]
    }

    /// One valid application (synthetic person) so intake's read route answers 200.
    static func submitOneApplication(to intake: ServiceProcess) async throws -> String {
        let form =
            #"{"edition":"2025","person":{"firstName":"Demo","lastName":"Benchmarkowa","pesel":"80061512342","birthDate":"1980-06-15","address":{"street":"ul. Przykładowa 1","postalCode":"50-001","city":"Wrocław"},"contact":{"email":"bench@demo.invalid"}},"certificate":{"kind":"degree","degree":"significant","multipleDisabilities":false,"issuedOn":"2020-01-10","permanent":true},"declaredNeeds":{"activities":["mobility"],"hoursPerMonth":20},"documents":[{"kind":"certificate-copy","reference":"DEMO/1"},{"kind":"application-form","reference":"DEMO/2"}]}"#
        let answer = await intake.request("POST", "/applications", body: Data(form.utf8))
        guard answer.status == 201, let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let id = object["id"] as? String
        else {
            throw ServiceProcess.Failure(
                "intake refused the footprint's application: \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        return id
    }
}
