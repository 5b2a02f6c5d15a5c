using System.Diagnostics;
using F5Parity.Fixtures;
using static TorchSharp.torch;

// Usage: F5Parity.FixtureMaker <vocab.txt> <output folder> [--quick]
//        F5Parity.FixtureMaker --evaluate <models folder>   (measures existing fixtures, writes nothing)
//        F5Parity.FixtureMaker --config-fault <vocab.txt> <output folder>   (ConfigFaultRecipe: models/config-fault)
//        F5Parity.FixtureMaker --evaluate-config-fault <config-fault folder> <vocab.txt>
//        F5Parity.FixtureMaker --trainer-samples <ckpts/project> <f5parity.json> [infer.toml] [--vocab file]   (run-folder fixture samples/)
// Single-threaded libtorch makes every float reduction independent of the core count, so the files are
// reproducible byte for byte on the same libtorch build.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: F5Parity.FixtureMaker <vocab.txt> <output folder> [--quick]");
    return 2;
}
set_num_threads(1);
F5Parity.Torch.NativeHeap.RetainLargeBlocks();
if (args[0] == "--config-fault")
{
    // --config-fault <vocab.txt> <output folder>: the fixture on which the v0/v1 options bite (ConfigFaultRecipe)
    set_num_interop_threads(1);
    if (args.Length < 3) { Console.Error.WriteLine("usage: F5Parity.FixtureMaker --config-fault <vocab.txt> <output folder>"); return 2; }
    if (Directory.Exists(args[2]) && Directory.EnumerateFileSystemEntries(args[2]).Any())
    {
        Console.Error.WriteLine($"{args[2]}: not empty; refusing to overwrite fixtures (remove it first)");
        return 1;
    }
    var swc = Stopwatch.StartNew();
    ConfigFaultRecipe.Make(args[1], args[2], log: line => Console.WriteLine($"[{swc.Elapsed:mm\\:ss}] {line}"));
    Console.WriteLine($"done in {swc.Elapsed.TotalMinutes:F1} min");
    return 0;
}
if (args[0] == "--trainer-samples")
{
    // --trainer-samples <ckpts/project> <f5parity.json> [infer.toml]: samples/update_N_{gen,ref}.wav of the newest numbered save
    set_num_interop_threads(1);
    var run = F5Parity.RunFiles.RunFolder.Find(args[1]);
    // --vocab <file>: the vocab training really used, when no run file states it (a published model)
    int vi = Array.IndexOf(args, "--vocab");
    var rest = args.Where((_, i) => i != vi && i != vi + 1 || vi < 0).ToArray();
    var config = F5Parity.Search.TrainerSampleWriter.StatedConfig(run, rest.Length > 3 ? rest[3] : null, Path.GetFullPath(rest[2]), Path.GetDirectoryName(Path.GetFullPath(rest[2]))!);
    if (vi > 0) config = config with { Vocab = Path.GetFullPath(args[vi + 1]) };
    using var d = new F5Parity.Diagnosis.Diagnoser(config);
    long update = run.Saves.Where(s => s.Update != long.MaxValue).Max(s => s.Update);
    Console.WriteLine(F5Parity.Search.TrainerSampleWriter.Write(d, Path.Combine(run.Folder, "samples"), update));
    return 0;
}
if (args[0] == "--evaluate-config-fault")
{
    var vocab = F5Parity.Text.Vocab.Load(args[2], requireSpaceAtZero: true);
    ConfigFaultEvaluation.Measure(args[1], vocab, Console.WriteLine);
    return 0;
}
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
