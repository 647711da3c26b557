import CareModel

/// The proxy's seeded choices and its tally of faults injected.
actor FaultPlan {
    private let faults: NetworkFaults
    private let scripted: [Int: NetworkFault]
    private var requests = 0
    private var generator: SplitMix64
    private(set) var tally: [NetworkFault: Int] = [:]
    /// How long a delayed request waits.
    nonisolated let delay: Duration

    init(faults: NetworkFaults, seed: UInt64, scripted: [Int: NetworkFault] = [:]) {
        self.faults = faults
        self.scripted = scripted
        self.delay = faults.delay
        self.generator = SplitMix64(seed: seed)
    }

    /// The next request's number (from 1) and fault: the scripted one, else a
    /// seeded draw (`.none` for most).
    func next() -> (request: Int, fault: NetworkFault) {
        requests += 1
        let fault = scripted[requests] ?? draw()
        tally[fault, default: 0] += 1
        return (requests, fault)
    }

    private func draw() -> NetworkFault {
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
        return chosen
    }
}
