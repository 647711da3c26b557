import CareModel

/// A care worker's week offline, for `tools/bench sync`: what the worker's own
/// device records on its visits, and what the rest of the team writes on the
/// same visits meanwhile. Seeded: the same seed gives the same operations
/// (record ids and times aside, which come from the device store).
///
/// - The office (2 coordinators; the first plans) planned ``visitsBeforeLeaving`` visits for the
///   worker before the device went offline (the device has them), and plans
///   more during the week, reschedules some and writes notes on some.
/// - Most visits are double-handed: a co-worker (one of 5) is assigned too and
///   records status changes, check-ins and check-outs, tasks done and notes of
///   realistic length on them; sometimes a missed call instead.
/// - The worker's own device records the same kinds of evidence: ``DeviceAction``s.
struct WeekOfflineWorkload {
    static let team = "north"
    static let worker = "w-returning"
    static let coordinators = ["c-office-1", "c-office-2"]
    static let coworkers = (1...5).map { "w-\($0)" }
    static let visitsBeforeLeaving = 60

    /// What the worker's device records, in order.
    enum DeviceAction {
        case checkIn(visit: Int)
        case checkOut(visit: Int)
        case tasks(visit: Int, [(String, Int64)])
        case note(visit: Int, String)
        case missedCall(visit: Int, reason: String)
    }

    /// One write by someone else: who, on which visit (an index into the plan), what.
    struct TeamWrite {
        enum What {
            case plan(coworker: String?)
            case reschedule
            case evidence(field: String, kind: Change.Kind, Value)
            case note(String)
            case missedCall(reason: String)
        }

        let writer: String
        let visit: Int
        let what: What
    }

    private(set) var rng: SplitMix64

    init(seed: UInt64 = 2_026) {
        rng = SplitMix64(seed: seed)
    }

    /// The plans written before the device went offline: visit i has `coworkers[i]` (or none).
    mutating func initialPlan() -> [TeamWrite] {
        (0..<Self.visitsBeforeLeaving).map { index in
            TeamWrite(writer: Self.coordinators[0], visit: index, what: .plan(coworker: randomCoworker()))
        }
    }

    /// `count` device actions on the first ``visitsBeforeLeaving`` visits: a
    /// visit's round (check-in, tasks done, a note, check-out) or, now and then, a missed call.
    mutating func deviceActions(count: Int) -> [DeviceAction] {
        var actions: [DeviceAction] = []
        var visit = 0
        while actions.count < count {
            if Int.random(in: 0..<12, using: &rng) == 0 {
                actions.append(.missedCall(visit: visit, reason: "no_access"))
            } else {
                actions += [
                    .checkIn(visit: visit), .tasks(visit: visit, randomTasks()), .note(visit: visit, randomNote()),
                    .checkOut(visit: visit),
                ]
            }
            visit = (visit + 1) % Self.visitsBeforeLeaving
        }
        return Array(actions.prefix(count))
    }

    /// `count` writes by the rest of the team during the week, starting with
    /// the plans of new visits; `coworkerOf` tells who shares each visit.
    mutating func teamWrites(count: Int, coworkerOf: inout [String?]) -> [TeamWrite] {
        var writes: [TeamWrite] = []
        while writes.count < count {
            let roll = Int.random(in: 0..<100, using: &rng)
            let visit = Int.random(in: 0..<coworkerOf.count, using: &rng)
            let office = Self.coordinators[Int.random(in: 0..<2, using: &rng)]
            switch roll {
            case 0..<8:
                let coworker = randomCoworker()
                // One planner, whose pushes go first each day: nothing refers to a visit not yet stored.
                writes.append(TeamWrite(writer: Self.coordinators[0], visit: coworkerOf.count, what: .plan(coworker: coworker)))
                coworkerOf.append(coworker)
            case 8..<13:
                writes.append(TeamWrite(writer: office, visit: visit, what: .reschedule))
            case 13..<18:
                writes.append(TeamWrite(writer: office, visit: visit, what: .note(randomNote())))
            default:
                guard let coworker = coworkerOf[visit] else { continue }
                writes.append(TeamWrite(writer: coworker, visit: visit, what: coworkerWrite(roll)))
            }
        }
        return Array(writes.prefix(count))
    }

    private mutating func coworkerWrite(_ roll: Int) -> TeamWrite.What {
        let attendance: Value = [
            "time": .int(1_767_225_600_000 + Int64.random(in: 0..<(7 * 86_400_000), using: &rng)),
            "method": .string(["nfc", "nfc", "qr", "gps"][Int.random(in: 0..<4, using: &rng)]),
        ]
        switch roll {
        case 18..<38:
            let status = Visit.workerStatuses[Int.random(in: 0..<4, using: &rng)]
            return .evidence(field: Visit.Field.workerStatus, kind: .set, .string(status))
        case 38..<53: return .evidence(field: Visit.Field.checkIns, kind: .append, attendance)
        case 53..<68: return .evidence(field: Visit.Field.checkOuts, kind: .append, attendance)
        case 68..<83:
            let (task, quantity) = randomTasks()[0]
            return .evidence(field: Visit.Field.tasksDone, kind: .append, ["task": .string(task), "quantity": .int(quantity)])
        case 83..<97: return .note(randomNote())
        default: return .missedCall(reason: ["no_access", "declined", "in_hospital"][Int.random(in: 0..<3, using: &rng)])
        }
    }

    private mutating func randomCoworker() -> String? {
        Int.random(in: 0..<5, using: &rng) == 0 ? nil : Self.coworkers[Int.random(in: 0..<Self.coworkers.count, using: &rng)]
    }

    private mutating func randomTasks() -> [(String, Int64)] {
        let tasks = ["medication", "personal_care", "meal_prep", "hydration", "mobility", "shopping", "laundry"]
        return (0..<Int.random(in: 1...2, using: &rng)).map { _ in
            (tasks[Int.random(in: 0..<tasks.count, using: &rng)], Int64.random(in: 1...3, using: &rng))
        }
    }

    /// A visit note of two to five sentences (about 80–350 bytes), as care workers write them.
    private mutating func randomNote() -> String {
        let sentences = [
            "Arrived on time and let myself in with the key safe.",
            "Client was in good spirits and chatted about her grandchildren.",
            "Helped with a wash and getting dressed, skin checked, no redness or sores.",
            "Prompted morning medication from the blister pack, all taken with water.",
            "Made porridge and a cup of tea, ate about half.",
            "Encouraged fluids, left a full jug of water within reach.",
            "Client seemed more tired than usual and a little confused about the day.",
            "Daughter phoned during the visit and asked for the office to call her back.",
            "Noticed the fridge is nearly empty, milk out of date, please arrange shopping.",
            "Walked with the frame to the bathroom, steady on her feet today.",
            "Pressure cushion in place, repositioned in the chair before leaving.",
            "Catheter bag emptied and recorded on the chart.",
            "Bins taken out and kitchen left tidy.",
            "Left the heating on low as the house was cold.",
            "Refused lunch but accepted a sandwich for later, left in the fridge.",
            "Pain in the left knee, says it has been worse since Tuesday, GP to be informed.",
            "Pendant alarm checked and worn.",
            "All doors locked on leaving, key returned to the key safe.",
        ]
        return (0..<Int.random(in: 2...5, using: &rng))
            .map { _ in sentences[Int.random(in: 0..<sentences.count, using: &rng)] }
            .joined(separator: " ")
    }
}
