/*
 * Forced into every file of a `topiary profile` build (gcc -include): turns the generated
 * code's TOPIARY_PROFILE_MARK(node) into a call that reads the SysTick timer. Without it the
 * mark is empty (topiary.h) and the model carries no profiling code.
 */
#ifndef TOPIARY_PROFILE_HOOK_H
#define TOPIARY_PROFILE_HOOK_H

void topiary_profile_mark(int node);
#define TOPIARY_PROFILE_MARK(node) topiary_profile_mark(node)

#endif /* TOPIARY_PROFILE_HOOK_H */
