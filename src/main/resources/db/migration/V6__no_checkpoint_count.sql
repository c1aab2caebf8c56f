-- A job's checkpoints are numbered 1, 2, 3, … across owners, so its newest seq
-- (last_checkpoint_seq) is the number it wrote: the separate count was the same number twice.
alter table job drop column checkpoint_count;
