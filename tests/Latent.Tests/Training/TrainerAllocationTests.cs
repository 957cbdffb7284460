using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;
using Latent.Tests.Nn;
using Latent.Training;

namespace Latent.Tests.Training;

/// <summary>Tests that count the bytes a thread allocates, run after and apart from all others so that nothing else shares the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurementCollection
{
    public const string Name = "Allocation measurements (serial)";
}

/// <summary>The trainer's step allocates nothing after warm-up (one GEMM thread, so all work is on this thread).</summary>
[Collection(AllocationMeasurementCollection.Name)]
public class TrainerAllocationTests
{
    [Theory]
    [InlineData("vae")]
    [InlineData("denoising-ae")]
    [InlineData("infovae")]
    public void ATrainingStepAllocatesNothingAfterTheFirstEpoch(string preset)
    {
        using (Parallelism.Limit(1))
        {
            var train = new Dataset("digits", ModelTestData.Rows(ModelTestData.Digits, 0, 320));
            var observer = new AllocationObserver();
            new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 32, CheckpointEvery = 0, Seed = 1 }, observer)
                .Fit(new Autoencoder(ModelTestData.Small(preset)), train);
            Assert.Equal(2 * 9, observer.Measured.Count);
            Assert.All(observer.Measured, bytes => Assert.Equal(0L, bytes));
        }
    }

    private sealed class AllocationObserver : ITrainingObserver
    {
        private long _last;

        public List<long> Measured { get; } = [];

        public void StepCompleted(int epoch, int step, in LossTerms terms)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (epoch > 1 && step > 1)
            {
                Measured.Add(now - _last);
            }

            _last = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}
