import CareModel

/// The devices that made an authenticated request within a time window: the
/// `caresync_devices_connected` gauge. (Devices sync in short bursts over
/// plain HTTP; "connected" means recently seen, not an open socket.)
actor ConnectedDevices {
    private let windowMillis: Int64
    private let metrics: SyncMetrics
    private var lastSeen: [DeviceID: Int64] = [:]
    private var lastPruned: Int64?

    init(windowSeconds: Int64, metrics: SyncMetrics) {
        self.windowMillis = windowSeconds * 1000
        self.metrics = metrics
    }

    func saw(_ device: DeviceID, at now: Int64) {
        let isNew = lastSeen.updateValue(now, forKey: device) == nil
        // Forget stale devices at most once a second, not on every request.
        if lastPruned.map({ now - $0 >= 1_000 }) ?? true {
            lastSeen = lastSeen.filter { now - $0.value <= windowMillis }
            lastPruned = now
        } else if !isNew {
            return
        }
        metrics.setConnectedDevices(lastSeen.count)
    }
}
