// The deep forecasters seed torch's one process-wide generator (weights and dropout) and set its thread count, so
// two test classes training at once would draw from each other's stream; run this assembly's tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
