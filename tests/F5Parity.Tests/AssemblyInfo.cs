// Seeded sampling draws from libtorch's one global CPU generator, exactly as upstream does; tests running in parallel
// would interleave their draws. The suite therefore runs its tests one at a time (libtorch still uses every core
// inside each operation).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
