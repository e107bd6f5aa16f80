import TestSupport
import Testing

/// What an operator reads in a service's `/metrics` to see where a record's time
/// went before its answer left: how old it was when polled, how long it waited for
/// its lane's transaction, and how long the answer waited from its commit until the
/// broker acknowledged it.
@Suite("Hop metrics", .timeLimit(.minutes(3)))
struct HopMetricsTests {
    @Test("timesheet times every record it polls until polled and until its lane took it, and its answers from their commit until acknowledged")
    func everyHopIsTimed() async throws {
        let entries = 300
        let namespace = TestSettings.uniqueNamespace("hops")
        var stream = try NGOStream(namespace: namespace, entries: entries)
        let timesheet = try await ServiceProcess(name: "timesheet", namespace: namespace)
        try await withStarted([timesheet]) {
            try await stream.publishReferenceData()
            try await stream.waitForReferenceData(in: timesheet)
            try await stream.registerKeys(with: timesheet)
            try await stream.streamEntries(entries, over: 3)
            let answers = try await stream.answers(timeout: .seconds(120)) { $0.records >= entries }

            let consumer = ["consumer": "\(namespace)-timesheet"]
            let outcomes = await timesheet.metric("asysta_events_consumed_total", labels: consumer)
            let polled = await timesheet.metric("asysta_consumer_record_age_seconds_count", labels: consumer)
            let laned = await timesheet.metric("asysta_consumer_lane_wait_seconds_count", labels: consumer)
            #expect(polled >= Double(entries), "records timed when polled: \(polled)")
            #expect(polled == outcomes && laned == outcomes, "every record with an outcome (\(outcomes)) is timed at both: \(polled), \(laned)")
            let meanAge = await timesheet.metric("asysta_consumer_record_age_seconds_sum", labels: consumer) / polled
            #expect(meanAge > 0 && meanAge < 60, "a record's mean age when polled, in seconds: \(meanAge)")

            let acknowledged = await timesheet.metric("asysta_outbox_wait_seconds_count")
            let meanWait = await timesheet.metric("asysta_outbox_wait_seconds_sum") / acknowledged
            print(
                "hop metrics: \(Int(polled)) records, mean age when polled \(meanAge) s; \(Int(acknowledged)) of \(answers.records) answers timed, mean \(meanWait) s"
            )
            // An answer the relay found in the table before the handoff held it is not timed: a few at most.
            #expect(
                acknowledged >= Double(entries) * 0.8 && acknowledged <= Double(answers.records),
                "answers timed from their commit until acknowledged: \(acknowledged) of \(answers.records)")
            #expect(meanWait > 0 && meanWait < 60, "an answer's mean wait from its commit until acknowledged, in seconds: \(meanWait)")
        }
    }
}
