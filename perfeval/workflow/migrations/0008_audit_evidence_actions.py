from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0007_audit_forward_and_supervisor_return")]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('open_period', '开启填报期'), ('create', '创建报告'), ('head_confirm', '单位负责人确认'), ('submit', '提交'), ('withdraw', '撤回'), ('opened', '审核人首次查看'), ('forward', '主管部门审核通过并报送财政部门'), ('supervisor_return', '主管部门退回'), ('return', '退回'), ('resolve', '标记退回意见已解决'), ('approve', '审核通过'), ('publish', '公开'), ('reopen', '公开后退回更正'), ('reset', '重置为原始数据（草稿）'), ('evidence_add', '上传佐证材料'), ('evidence_remove', '删除佐证材料'), ('evidence_public', '设置佐证材料是否公开'), ('refused', '操作被拒绝'), ('denied', '越权访问被拒绝')], max_length=20, verbose_name='操作'),
        ),
    ]
