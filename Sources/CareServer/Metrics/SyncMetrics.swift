public import CareModel
import CoreMetrics
import Metrics
public import Prometheus

/// The server's metrics, through swift-metrics into a Prometheus registry of
/// this application's own (so several servers in one test process stay apart).
/// `GET /metrics` renders the registry.
public struct SyncMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let stored: CoreMetrics.Counter
    private let duplicates: CoreMetrics.Counter
    private let batchSizes: CoreMetrics.Recorder
    private let connected: CoreMetrics.Gauge
    private let enrolled: CoreMetrics.Gauge

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultValueHistogramBuckets = [1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000]
        self.factory = factory
        stored = CoreMetrics.Counter(label: "caresync_operations_stored_total", factory: factory)
        duplicates = CoreMetrics.Counter(label: "caresync_operations_duplicate_total", factory: factory)
        batchSizes = CoreMetrics.Recorder(label: "caresync_push_batch_operations", aggregate: true, factory: factory)
        connected = CoreMetrics.Gauge(label: "caresync_devices_connected", factory: factory)
        enrolled = CoreMetrics.Gauge(label: "caresync_devices_enrolled", factory: factory)
    }

    /// Counts a push's outcome, operation by operation.
    func recordPush(_ results: [OperationResult]) {
        batchSizes.record(results.count)
        var storedCount = 0
        var duplicateCount = 0
        var rejected: [String: Int] = [:]
        for result in results {
            switch result.status {
            case .stored: storedCount += 1
            case .duplicate: duplicateCount += 1
            default: rejected[result.error?.code ?? "unknown", default: 0] += 1
            }
        }
        stored.increment(by: storedCount)
        duplicates.increment(by: duplicateCount)
        for (code, count) in rejected {
            CoreMetrics.Counter(label: "caresync_operations_rejected_total", dimensions: [("code", code)], factory: factory)
                .increment(by: count)
        }
    }

    /// Counts a request refused as a whole, by code.
    func recordRefusal(code: String) {
        CoreMetrics.Counter(label: "caresync_requests_refused_total", dimensions: [("code", code)], factory: factory).increment()
    }

    func recordRequest(route: String, status: Int, duration: Duration) {
        CoreMetrics.Timer(
            label: "caresync_request_duration_seconds", dimensions: [("route", route)], factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    func setConnectedDevices(_ count: Int) {
        connected.record(count)
    }

    func setEnrolledDevices(_ count: Int) {
        enrolled.record(count)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
