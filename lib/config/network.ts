/**
 * Subnet group names: the network stack creates the groups, the other stacks and the constructs
 * place what they create in them. Here, not in a stack module, so a construct never imports a stack.
 */
export const SUBNETS = {
  public: 'public',
  private: 'private',
  isolated: 'database',
} as const;
