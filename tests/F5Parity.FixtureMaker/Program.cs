using System.Diagnostics;
using F5Parity.Fixtures;
using static TorchSharp.torch;

// Usage: F5Parity.FixtureMaker <vocab.txt> <output folder> [--quick]
//        F5Parity.FixtureMaker --evaluate <models folder>   (measures existing fixtures, writes nothing)
// Single-threaded libtorch makes every float reduction independent of the core count, so the files are
// reproducible byte for byte on the same libtorch build.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: F5Parity.FixtureMaker <vocab.txt> <output folder> [--quick]");
    return 2;
}
set_num_threads(1);
if (args[0] == "--evaluate")
{
    foreach (var (name, value) in ModelFixtureEvaluation.Measure(args[1], Console.WriteLine)) { }
    return 0;
}
set_num_interop_threads(1);
var plan = args.Contains("--quick")
    ? new ModelFixturePlan { PretrainUpdates = 60, FinetuneUpdates = 30, RawTextUpdates = 20, V0Updates = 20, DivergeUpdates = 20 }
    : new ModelFixturePlan();
if (Directory.Exists(args[1]) && Directory.EnumerateFileSystemEntries(args[1]).Any())
{
    Console.Error.WriteLine($"{args[1]}: not empty; refusing to overwrite fixtures (remove it first)");
    return 1;
}
var sw = Stopwatch.StartNew();
ModelFixtureRecipe.Make(args[0], args[1], plan, line => Console.WriteLine($"[{sw.Elapsed:mm\\:ss}] {line}"));
Console.WriteLine($"done in {sw.Elapsed.TotalMinutes:F1} min");
return 0;
