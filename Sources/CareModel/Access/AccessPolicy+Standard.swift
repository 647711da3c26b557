extension AccessPolicy {
    /// CareSync's rules (DESIGN.md, "Who may see and write what"):
    /// - care workers see the visits assigned to them with those visits' notes
    ///   and missed calls, record evidence on them, and see only their own abuse
    ///   reports;
    /// - coordinators plan and see their team's visits, notes and missed calls,
    ///   and never see abuse reports;
    /// - safeguarding leads see every abuse report and run the response;
    /// - auditors read everything and write nothing; admins manage reference data
    ///   and no care records;
    /// - the server's replica appends alerts to visits and creates escalations of
    ///   abuse reports (read by safeguarding leads and auditors only).
    public static let standard = AccessPolicy([
        .careWorker: [
            .visit: Rules(
                read: .related(.assigned),
                update: [Grant(.related(.assigned), Visit.evidenceFields)]),
            .visitNote: Rules(
                read: .related(.assigned),
                create: Grant(.related(.assigned), [VisitNote.Field.visit, VisitNote.Field.text]),
                update: [Grant(.related(.author), noteRevisionFields)]),
            .missedCall: Rules(
                read: .related(.assigned),
                create: Grant(.related(.assigned), missedCallReportFields),
                update: [Grant(.related(.author), [MissedCall.Field.reason, MissedCall.Field.details])]),
            .abuseReport: reporterRules,
        ],
        .coordinator: [
            .visit: Rules(
                read: .related(.team),
                create: Grant(.related(.team), Visit.planFields),
                update: [Grant(.related(.team), Visit.planFields.subtracting([Visit.Field.resident, Visit.Field.team]))]),
            .visitNote: Rules(
                read: .related(.team),
                create: Grant(.related(.team), [VisitNote.Field.visit, VisitNote.Field.text]),
                update: [
                    Grant(.related(.author), noteRevisionFields),
                    Grant(
                        .related(.team),
                        [
                            VisitNote.Field.enteredInError, VisitNote.Field.enteredInErrorReason,
                            VisitNote.Field.reviewDecisions,
                        ]),
                ]),
            .missedCall: Rules(
                read: .related(.team),
                create: Grant(.related(.team), missedCallReportFields.union([MissedCall.Field.confirmedByOffice])),
                update: [
                    Grant(
                        .related(.team),
                        [MissedCall.Field.reason, MissedCall.Field.details, MissedCall.Field.confirmedByOffice])
                ]),
        ],
        .safeguardingLead: [
            .visit: Rules(read: .all),
            .visitNote: Rules(read: .all),
            .missedCall: Rules(read: .all),
            .abuseReport: Rules(
                read: .all,
                create: reporterRules.create,
                update: [
                    Grant(
                        .all,
                        [
                            AbuseReport.Field.severity, AbuseReport.Field.status, AbuseReport.Field.daysAbsent,
                            AbuseReport.Field.policeReference, AbuseReport.Field.safeguardingNotes,
                            AbuseReport.Field.actionsTaken,
                        ]),
                    Grant(.related(.author), [AbuseReport.Field.supplements]),
                ]),
            // Escalations of unacknowledged reports: safeguarding leads (and auditors) only.
            .abuseEscalation: Rules(read: .all),
        ],
        .auditor: Dictionary(uniqueKeysWithValues: RecordKind.all.map { ($0, Rules(read: .all)) }),
        // The server's own replica: alerts on visits and escalations of abuse
        // reports, nothing else; it reads nothing by pull.
        .server: [
            .visit: Rules(read: .none, update: [Grant(.all, Visit.serverFields)]),
            .abuseEscalation: Rules(read: .none, create: Grant(.all, AbuseEscalation.fields)),
        ],
    ])

    private static let noteRevisionFields: Set<String> = [
        VisitNote.Field.text, VisitNote.Field.amendments, VisitNote.Field.enteredInError,
        VisitNote.Field.enteredInErrorReason,
    ]

    private static let missedCallReportFields: Set<String> = [
        MissedCall.Field.visit, MissedCall.Field.reason, MissedCall.Field.details,
    ]

    /// Any worker may report abuse; the reporter sees their own reports, adds
    /// supplements, and may escalate severity or add facts that only grow.
    private static let reporterRules = Rules(
        read: .related(.author),
        create: Grant(
            .all,
            AbuseReport.statementFields.union([
                AbuseReport.Field.severity, AbuseReport.Field.daysAbsent, AbuseReport.Field.policeReference,
            ])),
        update: [
            Grant(
                .related(.author),
                [
                    AbuseReport.Field.supplements, AbuseReport.Field.severity, AbuseReport.Field.daysAbsent,
                    AbuseReport.Field.policeReference,
                ])
        ])
}
