using F5Parity.Errors;
using F5Parity.Model;

namespace F5Parity.RunFiles;

/// <summary>
/// A training config in upstream's layout: <c>configs/*.yaml</c>, or the copy hydra leaves in a run as
/// <c>.hydra/config.yaml</c> (train/train.py). What decides the trainer's sampling: <c>model.name</c>,
/// <c>model.arch.*</c> (the DiT kwargs, with text_mask_padding / pe_attn_head, the v0/v1 difference),
/// <c>model.tokenizer</c> / <c>model.tokenizer_path</c>, <c>model.mel_spec.mel_spec_type</c>, <c>datasets.name</c>.
/// </summary>
public sealed record TrainConfigYaml(
    string File, Sourced<string> Name, DiTConfig Arch, Sourced<string> ArchOptions, Sourced<string> Tokenizer,
    Sourced<string?> TokenizerPath, Sourced<string> MelSpecType, Sourced<string?> DatasetName)
{
    public static TrainConfigYaml Read(string path)
    {
        var y = YamlTree.Read(path);
        Sourced<string> Str(string key, string fallback) =>
            y.Scalar(key) is string s ? new(s, Provenance.From(path, key)) : new(fallback, Provenance.Assumed($"`{key}` absent, upstream's default \"{fallback}\""));
        if (y.Mapping("model") is null) throw new RunFileException(path, "model", "missing: not an F5-TTS training config");
        if (y.Mapping("model.arch") is null) throw new RunFileException(path, "model.arch", "missing: the DiT options are not stated");
        var backbone = y.Scalar("model.backbone");
        if (backbone is not null and not "DiT")
            throw new RunFileException(path, "model.backbone", $"'{backbone}' is not ported (only DiT)");

        // DiT.__init__ defaults for what the yaml does not say (backbones/dit.py): text_mask_padding True, pe_attn_head None.
        var arch = new DiTConfig
        {
            Dim = y.Int("model.arch.dim") ?? throw new RunFileException(path, "model.arch.dim", "missing"),
            Depth = y.Int("model.arch.depth") ?? throw new RunFileException(path, "model.arch.depth", "missing"),
            Heads = y.Int("model.arch.heads") ?? throw new RunFileException(path, "model.arch.heads", "missing"),
            DimHead = y.Int("model.arch.dim_head") ?? 64,
            FfMult = y.Int("model.arch.ff_mult") ?? 4,
            TextDim = y.Int("model.arch.text_dim"),
            ConvLayers = y.Int("model.arch.conv_layers") ?? 0,
            MelDim = y.Int("model.mel_spec.n_mel_channels") ?? 100,
            TextMaskPadding = y.Bool("model.arch.text_mask_padding") ?? true,
            PeAttnHead = y.Int("model.arch.pe_attn_head"),
            QkNorm = y.Scalar("model.arch.qk_norm"),
            LongSkipConnection = y.Bool("model.arch.long_skip_connection") ?? false,
        };
        bool stated = y.Scalar("model.arch.text_mask_padding") is not null || y.Node("model.arch.pe_attn_head") is not null;
        var options = new Sourced<string>(
            arch.TextMaskPadding && arch.PeAttnHead is null ? "v1" : !arch.TextMaskPadding && arch.PeAttnHead == 1 ? "v0" : "mixed",
            stated ? Provenance.From(path, "model.arch") : Provenance.Assumed("model.arch names no text_mask_padding / pe_attn_head: DiT's defaults (v1)"));
        var mel = Str("model.mel_spec.mel_spec_type", "vocos");
        if (mel.Value is not ("vocos" or "bigvgan"))
            throw new RunFileException(path, "model.mel_spec.mel_spec_type", $"'{mel.Value}' is not vocos or bigvgan");
        var tok = Str("model.tokenizer", "pinyin");
        if (tok.Value is not ("pinyin" or "char" or "custom" or "byt5"))
            throw new RunFileException(path, "model.tokenizer", $"'{tok.Value}' is not pinyin, char, custom or byt5");
        return new TrainConfigYaml(path, Str("model.name", Path.GetFileNameWithoutExtension(path)), arch, options, tok,
            new(y.Scalar("model.tokenizer_path"), Provenance.From(path, "model.tokenizer_path")), mel,
            new(y.Scalar("datasets.name"), Provenance.From(path, "datasets.name")));
    }
}
