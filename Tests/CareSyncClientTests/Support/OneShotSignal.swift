/// A one-shot event between tasks: ``wait()`` returns once ``fire()`` was
/// called (at once if it already was). For putting an interruption at an
/// exact point of a sync (see ``ProxyScript/beforeForwarding``).
actor OneShotSignal {
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        fired = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        if fired { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
