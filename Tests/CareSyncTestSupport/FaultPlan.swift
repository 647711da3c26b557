import CareModel

/// The proxy's seeded choices and its tally of faults injected.
actor FaultPlan {
    private let faults: NetworkFaults
    private var generator: SplitMix64
    private(set) var tally: [NetworkFault: Int] = [:]
    /// How long a delayed request waits.
    nonisolated let delay: Duration

    init(faults: NetworkFaults, seed: UInt64) {
        self.faults = faults
        self.delay = faults.delay
        self.generator = SplitMix64(seed: seed)
    }

    /// The fault for the next request (`.none` for most).
    func next() -> NetworkFault {
        let draw = Double(generator.next() >> 11) * 0x1p-53
        var threshold = 0.0
        let choices: [(NetworkFault, Double)] = [
            (.dropRequest, faults.dropRequest), (.dropResponse, faults.dropResponse),
            (.cutResponse, faults.cutResponse), (.duplicateRequest, faults.duplicateRequest),
            (.badGateway, faults.badGateway), (.serviceUnavailable, faults.serviceUnavailable),
            (.delayRequest, faults.delayRequest),
        ]
        var chosen = NetworkFault.none
        for (fault, rate) in choices {
            threshold += rate
            if draw < threshold {
                chosen = fault
                break
            }
        }
        tally[chosen, default: 0] += 1
        return chosen
    }
}
