package dev.midas.stacking.train;

import dev.midas.stacking.model.ScriptFunction;

/**
 * The optimizer's TorchScript function, compiled on first use: one AdamW step (gradient norm and
 * clipping, PyTorch's fused AdamW kernel for the decayed and the undecayed group, gradient reset)
 * as one call however many parameters there are.
 */
final class Scripts {
  private Scripts() {}

  /** Compiles every script of this class (class initialisation does it). */
  static void compile() {
    STEP.getClass();
  }

  /**
   * One optimizer step, the way {@code clip_grad_norm_} and {@code AdamW(fused=True)} do it in
   * PyTorch: the gradients come from the parameters themselves ({@code p.grad}), their global L2
   * norm scales them by {@code min(1, max_norm / (norm + 1e-6))} on the device (no read back, so no
   * wait for the step to finish; {@code max_norm} 0 turns clipping off), the step count (one tensor
   * shared by every parameter) goes up by one, PyTorch's fused AdamW kernel updates group 1 with
   * weight decay {@code wd} and group 2 without, and the gradients are zeroed (DJL's collector
   * never does; they would add up). Returns [loss, gradient norm before clipping] as one tensor, so
   * the step's only read back to the host is these two numbers. In-place ops take the argument
   * lists themselves: the script compiler drops an in-place op on a list built inside the script
   * ({@code g1 + g2}) as dead code.
   */
  static final ScriptFunction STEP =
      ScriptFunction.compile(
          "AdamWStep",
          "p1: List[Tensor], m1: List[Tensor], v1: List[Tensor], s1: List[Tensor],"
              + " p2: List[Tensor], m2: List[Tensor], v2: List[Tensor], s2: List[Tensor],"
              + " step: Tensor, loss: Tensor, max_norm: float, lr: float, beta1: float,"
              + " beta2: float, wd: float, eps: float",
          "Tensor",
          """
          g1 = annotate(List[Tensor], [])
          for p in p1:
              g = p.grad
              if g is not None:
                  g1.append(g)
          g2 = annotate(List[Tensor], [])
          for p in p2:
              g = p.grad
              if g is not None:
                  g2.append(g)
          norm = torch.linalg_vector_norm(torch.stack(torch._foreach_norm(g1 + g2)))
          if max_norm > 0.:
              # max_norm / (norm + 1e-6) as eager PyTorch computes a float over a tensor
              coef = torch.clamp(torch.reciprocal(norm + 1e-6) * max_norm, max=1.0)
              if len(g1) > 0:
                  torch._foreach_mul_(g1, coef)
              if len(g2) > 0:
                  torch._foreach_mul_(g2, coef)
          step.add_(1.)
          none = annotate(List[Tensor], [])
          if len(p1) > 0:
              torch._fused_adamw_(p1, g1, m1, v1, none, s1, lr=lr, beta1=beta1, beta2=beta2,
                  weight_decay=wd, eps=eps, amsgrad=False, maximize=False)
              torch._foreach_zero_(g1)
          if len(p2) > 0:
              torch._fused_adamw_(p2, g2, m2, v2, none, s2, lr=lr, beta1=beta1, beta2=beta2,
                  weight_decay=0., eps=eps, amsgrad=False, maximize=False)
              torch._foreach_zero_(g2)
          return torch.stack([loss.detach().to(6), norm])""");
}
