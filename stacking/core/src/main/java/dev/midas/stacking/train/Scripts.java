package dev.midas.stacking.train;

import dev.midas.stacking.model.ScriptFunction;

/**
 * The optimizer's TorchScript functions, compiled on first use: the global gradient norm, and one
 * AdamW step (clip, PyTorch's fused AdamW kernel for the decayed and the undecayed group, gradient
 * reset). Each runs as one call however many parameters there are.
 */
final class Scripts {
  private Scripts() {}

  /** L2 norm over every gradient of both groups, as a 0-dim tensor. */
  static final ScriptFunction NORM =
      ScriptFunction.compile(
          "GradNorm",
          "a: List[Tensor], b: List[Tensor]",
          "Tensor",
          "return torch.linalg_vector_norm(torch.stack(torch._foreach_norm(a + b)))");

  /**
   * Scales gradients by {@code clip} (unless 1), updates group 1 with weight decay {@code wd} and
   * group 2 without, then zeroes every gradient (DJL's collector never does; they would add up).
   * In-place ops take the argument lists themselves: the script compiler drops an in-place op on a
   * list built inside the script ({@code g1 + g2}) as dead code.
   */
  static final ScriptFunction STEP =
      ScriptFunction.compile(
          "AdamWStep",
          "p1: List[Tensor], g1: List[Tensor], m1: List[Tensor], v1: List[Tensor],"
              + " s1: List[Tensor], p2: List[Tensor], g2: List[Tensor], m2: List[Tensor],"
              + " v2: List[Tensor], s2: List[Tensor], clip: float, lr: float, beta1: float,"
              + " beta2: float, wd: float, eps: float",
          "bool",
          """
          none = annotate(List[Tensor], [])
          if len(p1) > 0:
              if clip != 1.0:
                  torch._foreach_mul_(g1, clip)
              torch._fused_adamw_(p1, g1, m1, v1, none, s1, lr=lr, beta1=beta1, beta2=beta2,
                  weight_decay=wd, eps=eps, amsgrad=False, maximize=False)
              torch._foreach_zero_(g1)
          if len(p2) > 0:
              if clip != 1.0:
                  torch._foreach_mul_(g2, clip)
              torch._fused_adamw_(p2, g2, m2, v2, none, s2, lr=lr, beta1=beta1, beta2=beta2,
                  weight_decay=0., eps=eps, amsgrad=False, maximize=False)
              torch._foreach_zero_(g2)
          return True""");
}
