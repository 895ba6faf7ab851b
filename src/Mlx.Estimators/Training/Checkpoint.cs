using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Per-epoch checkpoints in a folder: the weights (TorchSharp's format), the optimiser's state (moment estimates, step
/// count), the history (CSV) and the learning rate. A run with the same folder resumes after the last saved epoch and,
/// as shuffles and dropout depend on (seed, epoch) only, continues exactly as the uninterrupted run would have.
/// </summary>
internal sealed class Checkpoint
{
    private readonly string _directory;

    public Checkpoint(string directory)
    {
        _directory = directory;
        try
        {
            // Proved writable before the first epoch, not discovered after it.
            Mlx.Core.Persistence.WritableFolder.Ensure(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"NeuralNetworkOptions.CheckpointDirectory '{directory}' cannot be written ({e.Message}): give a folder this process can create and write.",
                nameof(NeuralNetworkOptions.CheckpointDirectory), e);
        }
    }

    // A checkpoint file that cannot be read back: say which, and what to do.
    private InvalidDataException Damaged(string file, Exception e) =>
        new($"The checkpoint's {file} in '{_directory}' is damaged ({e.GetType().Name}: {e.Message}). Delete the checkpoint.* files there to start afresh, or use an empty CheckpointDirectory.", e);

    private string WeightsPath => Path.Combine(_directory, "checkpoint.weights");
    private string HistoryPath => Path.Combine(_directory, "checkpoint.history.csv");
    private string OptimizerPath => Path.Combine(_directory, "checkpoint.optimizer");

    public void Save(nn.Module<Tensor, Tensor> module, ParameterUpdate optimizer, TrainingHistory history)
    {
        // Write then rename, so an interrupted save never leaves a half-written checkpoint.
        module.save(WeightsPath + ".tmp");
        using (var state = new BinaryWriter(File.Create(OptimizerPath + ".tmp")))
            optimizer.SaveState(state);
        File.WriteAllText(HistoryPath + ".tmp", history.ToCsv());
        File.Move(WeightsPath + ".tmp", WeightsPath, overwrite: true);
        File.Move(OptimizerPath + ".tmp", OptimizerPath, overwrite: true);
        File.Move(HistoryPath + ".tmp", HistoryPath, overwrite: true);
    }

    /// <summary>The number of the last epoch saved in the folder (0 when there is none), read before resuming to pick the phase.</summary>
    public int LastSavedEpoch()
    {
        if (!File.Exists(WeightsPath) || !File.Exists(HistoryPath))
            return 0;
        var epochs = ReadHistory().Epochs;
        return epochs.Count > 0 ? epochs[^1].Epoch : 0;
    }

    public bool TryResume(nn.Module<Tensor, Tensor> module, ParameterUpdate optimizer, out TrainingHistory? history)
    {
        history = null;
        if (!File.Exists(WeightsPath) || !File.Exists(HistoryPath))
            return false;
        try
        {
            module.load(WeightsPath);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The checkpoint in '{_directory}' does not fit this network ({e.Message}). Use an empty CheckpointDirectory for a different architecture.", e);
        }
        if (File.Exists(OptimizerPath))
        {
            using var state = new BinaryReader(File.OpenRead(OptimizerPath));
            try
            {
                optimizer.LoadState(state, _directory);
            }
            catch (Exception e) when (e is EndOfStreamException or FormatException or IOException or OverflowException or OutOfMemoryException)
            {
                throw Damaged("optimiser state (checkpoint.optimizer)", e);
            }
        }
        history = ReadHistory();
        if (history.Epochs.Count > 0)
        {
            optimizer.LearningRate = history.Epochs[^1].LearningRate;
        }
        return true;
    }

    private TrainingHistory ReadHistory()
    {
        try
        {
            return TrainingHistory.FromCsv(File.ReadAllText(HistoryPath));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw Damaged("history (checkpoint.history.csv)", e);
        }
    }
}
