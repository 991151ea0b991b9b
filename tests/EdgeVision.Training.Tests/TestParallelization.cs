// TorchSharp's random generator, thread count and default dtype are process-wide. Tests that seed it
// (exact resume, parity, initialization statistics) would draw from a generator another test class is
// consuming at the same time and fail at random, so this assembly runs its test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
